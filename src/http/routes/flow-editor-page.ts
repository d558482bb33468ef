import type { FastifyInstance, FastifyReply } from 'fastify';
import { parse as parseYaml } from 'yaml';
import type { FlowFileRead, FlowFileStore, SaveResult } from '../../flows/flow-editing.js';
import { translator } from '../../i18n/index.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import { applyAction, draftFromForm, formFromDraft, placeErrors, readEditForm, TRIGGER_FIELDS, type EditForm, type PlacedErrors, type TriggerType } from '../view-models/flow-edit-form.js';
import { buildEditorView } from '../view-models/flow-editor-view.js';
import { describeFlow } from '../view-models/flow-in-words.js';
import { flowNotice, MAX_PREVIEW_CHARS, previewText } from '../view-models/flow-preview.js';

const NAV = '/flows';

/**
 * The Fluxos page's editor (issue 20): every change is written to the flow's
 * file through the FlowFileStore (which the loader validates first) and then
 * applied at once (LiveFlowControl.reload). Every form works without a
 * script; flow-editor.js only adds the live preview and the name picker.
 *
 * GET/POST /flows/:id/edit      the editor; its add/remove/move buttons redraw it, "Salvar" saves
 * POST /flows/:id/enabled       the list's on/off switch
 * POST /flows/preview           a text as the sample customer gets it, or the loader's error (JSON)
 * GET/POST /flows/new           the gallery, and a new flow from one of its items
 * GET /flows/:id/history        the kept versions; /history/:entry one of them; POST …/restore
 */
export function flowEditorPage(deps: PageDeps) {
  const { locale, config } = deps;
  const t = translator(locale);
  const previewOptions = { locale, shopName: config.shopName, timeZone: config.timezone };

  function unavailable(reply: FastifyReply, message: string, status = 404) {
    return renderPage(reply.status(status), deps, 'flow-edit-missing', { title: t('page.title.flow_not_found'), nav: NAV, message });
  }

  /** Applies a change that was written, and says what the flow's page shows after it. */
  function applied(result: SaveResult & { ok: true }, key: 'saved' | 'restored' | 'on' | 'off' | 'created'): string {
    const live = deps.liveFlows !== undefined;
    deps.liveFlows?.reload();
    return `notice=${key}${live ? '' : '-restart'}&version=${result.version}`;
  }

  function triggerTypeOf(read: FlowFileRead): TriggerType {
    let raw: unknown;
    try {
      raw = parseYaml(read.source);
    } catch {
      return 'manual';
    }
    const trigger = (raw as { trigger?: unknown } | null)?.trigger;
    const type = typeof trigger === 'string' ? trigger : (trigger as { type?: unknown } | undefined)?.type;
    return typeof type === 'string' && Object.hasOwn(TRIGGER_FIELDS, type) ? (type as TriggerType) : 'manual';
  }

  /** Steps the editor shows read-only, in words, from the flow the service runs. */
  function summaries(id: string): Map<string, string> {
    const flow = deps.services?.runner.flow(id);
    const map = new Map<string, string>();
    if (!flow) return map;
    for (const step of describeFlow(flow, locale).steps) map.set(step.id, [step.kindName, ...step.details, step.preview ?? ''].filter((part) => part !== '').join(' · '));
    return map;
  }

  function editorPage(reply: FastifyReply, id: string, read: FlowFileRead, form: EditForm, errors: PlacedErrors, extra: { conflict?: { version: number }; notice?: string | null } = {}) {
    return renderPage(reply.header('cache-control', 'no-store'), deps, 'flow-edit', {
      title: t('page.title.flow_edit', { name: form.name || id }),
      nav: NAV,
      id,
      file: read.file,
      version: read.version,
      conflict: extra.conflict ?? null,
      notice: extra.notice ?? null,
      editor: buildEditorView(form, errors, { ...previewOptions, summaries: summaries(id) }),
    });
  }

  const noErrors = (): PlacedErrors => ({ top: [], fields: {} });

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.post<{ Body: { text?: unknown } }>('/flows/preview', async (request, reply) => {
      const text = request.body?.text;
      if (typeof text !== 'string' || text.length > MAX_PREVIEW_CHARS) {
        return reply.status(400).send({ error: { code: 'bad_text', message: t('page.flow_edit.preview_bad', { max: MAX_PREVIEW_CHARS }) } });
      }
      return reply.header('cache-control', 'no-store').send(previewText(text, previewOptions));
    });

    app.get<{ Params: { id: string }; Querystring: Record<string, unknown> }>('/flows/:id/edit', async (request, reply) => {
      const store = deps.flowFiles;
      if (!store) return unavailable(reply, t('page.flow_edit.unavailable'));
      const read = store.read(request.params.id);
      if (!read) return unavailable(reply, t('page.flow_edit.not_found', { id: request.params.id }));
      const form = formFromDraft(read.draft, read.revision, triggerTypeOf(read));
      return editorPage(reply, request.params.id, read, form, noErrors(), { notice: flowNotice(request.query, locale) });
    });

    app.post<{ Params: { id: string } }>('/flows/:id/edit', async (request, reply) => {
      const { id } = request.params;
      const store = deps.flowFiles;
      if (!store) return unavailable(reply, t('page.flow_edit.unavailable'));
      const read = store.read(id);
      if (!read) return unavailable(reply, t('page.flow_edit.not_found', { id }));
      const { form: posted, action } = readEditForm(request.body);
      if (action.kind !== 'save') return editorPage(reply, id, read, applyAction(posted, action), noErrors());

      // The file as the form was drawn from it: only what the seller changed is written.
      const base = read.revision === posted.revision ? read.draft : null;
      const { draft, problems } = draftFromForm(posted, base);
      if (problems.length > 0) {
        const errors = noErrors();
        errors.top.push(t('page.flow_edit.invalid'));
        for (const problem of problems) (errors.fields[problem.field] ??= []).push(t('page.flow_edit.bad_number'));
        return editorPage(reply.status(400), id, read, posted, errors);
      }
      const result = store.save(id, draft, posted.revision);
      if (result.ok) return reply.redirect(`/flows/${encodeURIComponent(id)}?${applied(result, 'saved')}`, 303);
      switch (result.reason) {
        case 'invalid': {
          const errors = placeErrors(result.errors, posted);
          errors.top.unshift(t('page.flow_edit.invalid'));
          request.log.info({ flow: id, errors: result.errors.length }, 'flow edit refused by the loader');
          return editorPage(reply.status(400), id, read, posted, errors);
        }
        case 'conflict':
          return editorPage(reply.status(409), id, read, posted, noErrors(), { conflict: { version: result.current.version } });
        case 'not_found':
          return unavailable(reply, t('page.flow_edit.not_found', { id }));
      }
    });

    app.post<{ Params: { id: string }; Body: { enabled?: unknown; back?: unknown } }>('/flows/:id/enabled', async (request, reply) => {
      const { id } = request.params;
      const store = deps.flowFiles;
      if (!store) return unavailable(reply, t('page.flow_edit.unavailable'));
      const read = store.read(id);
      if (!read) return unavailable(reply, t('page.flow_edit.not_found', { id }));
      const enabled = request.body?.enabled === '1';
      // "Turn it on" is the same wish whatever was saved meanwhile: the switch writes over the file as it is now.
      const result = store.setEnabled(id, enabled, read.revision);
      if (!result.ok) {
        const message = result.reason === 'invalid' ? t('page.flow_edit.toggle_invalid') : t('page.flow_edit.toggle_failed');
        return unavailable(reply, message, result.reason === 'not_found' ? 404 : 409);
      }
      const query = applied(result, enabled ? 'on' : 'off');
      const back = request.body?.back === 'flow' ? `/flows/${encodeURIComponent(id)}` : '/flows';
      return reply.redirect(`${back}?${query}#flow-${encodeURIComponent(id)}`, 303);
    });

    app.get('/flows/new', async (_request, reply) => {
      const store = deps.flowFiles;
      if (!store) return unavailable(reply, t('page.flow_edit.unavailable'));
      return galleryPage(reply, store, null);
    });

    app.post<{ Body: { template?: unknown; id?: unknown; name?: unknown } }>('/flows/new', async (request, reply) => {
      const store = deps.flowFiles;
      if (!store) return unavailable(reply, t('page.flow_edit.unavailable'));
      const template = typeof request.body?.template === 'string' ? request.body.template : '';
      const newId = typeof request.body?.id === 'string' ? request.body.id.trim().slice(0, 100) : '';
      const name = typeof request.body?.name === 'string' ? request.body.name.trim().slice(0, 200) : '';
      if (!store.gallery().some((item) => item.id === template)) {
        return galleryPage(reply.status(400), store, { template, id: newId, name, errors: [t('page.flow_edit.gallery_unknown')] });
      }
      const result = store.create(template, { ...(newId ? { id: newId } : {}), ...(name ? { name } : {}) });
      if (result.ok) {
        const query = applied(result, 'created');
        return reply.redirect(`/flows/${encodeURIComponent(result.id ?? (newId || template))}/edit?${query}`, 303);
      }
      if (result.reason === 'invalid') return galleryPage(reply.status(400), store, { template, id: newId, name, errors: result.errors.map((error) => error.message) });
      if (result.reason === 'not_found') return galleryPage(reply.status(400), store, { template, id: newId, name, errors: [t('page.flow_edit.gallery_unknown')] });
      return galleryPage(reply.status(409), store, { template, id: newId, name, errors: [t('page.flow_edit.gallery_taken', { id: newId || template })] });
    });

    function galleryPage(reply: FastifyReply, store: FlowFileStore, tried: { template: string; id: string; name: string; errors: string[] } | null) {
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'flow-gallery', { title: t('page.title.flow_gallery'), nav: NAV, items: store.gallery(), tried });
    }

    app.get<{ Params: { id: string } }>('/flows/:id/history', async (request, reply) => {
      const { id } = request.params;
      const store = deps.flowFiles;
      if (!store) return unavailable(reply, t('page.flow_edit.unavailable'));
      const read = store.read(id);
      if (!read) return unavailable(reply, t('page.flow_edit.not_found', { id }));
      const when = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: config.timezone });
      const entries = store.history(id).map((entry) => ({ ...entry, when: when.format(entry.savedAt) }));
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'flow-history', {
        title: t('page.title.flow_history', { name: read.draft.name }),
        nav: NAV,
        id,
        version: read.version,
        revision: read.revision,
        entries,
        shown: null,
      });
    });

    app.get<{ Params: { id: string; entry: string } }>('/flows/:id/history/:entry', async (request, reply) => {
      const { id, entry } = request.params;
      const store = deps.flowFiles;
      if (!store) return unavailable(reply, t('page.flow_edit.unavailable'));
      const read = store.read(id);
      const source = read ? store.historySource(id, entry) : undefined;
      const kept = store.history(id).find((item) => item.entry === entry);
      if (!read || source === undefined || !kept) return unavailable(reply, t('page.flow_edit.history_missing'));
      const when = new Intl.DateTimeFormat(locale, { dateStyle: 'short', timeStyle: 'short', timeZone: config.timezone });
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'flow-history', {
        title: t('page.title.flow_history_entry', { name: read.draft.name, version: kept.version }),
        nav: NAV,
        id,
        version: read.version,
        revision: read.revision,
        entries: [],
        shown: { ...kept, when: when.format(kept.savedAt), source },
      });
    });

    app.post<{ Params: { id: string; entry: string }; Body: { revision?: unknown } }>('/flows/:id/history/:entry/restore', async (request, reply) => {
      const { id, entry } = request.params;
      const store = deps.flowFiles;
      if (!store) return unavailable(reply, t('page.flow_edit.unavailable'));
      const revision = typeof request.body?.revision === 'string' ? request.body.revision : '';
      const result = store.restore(id, entry, revision);
      if (result.ok) return reply.redirect(`/flows/${encodeURIComponent(id)}?${applied(result, 'restored')}`, 303);
      if (result.reason === 'conflict') return unavailable(reply, t('page.flow_edit.restore_conflict', { version: result.current.version }), 409);
      if (result.reason === 'invalid') return unavailable(reply, t('page.flow_edit.restore_invalid', { errors: result.errors.map((error) => error.message).join(' · ') }), 400);
      return unavailable(reply, t('page.flow_edit.history_missing'));
    });
  };
}
