import type { FastifyInstance } from 'fastify';
import type { Flow } from '../../flows/flow-types.js';
import { translator } from '../../i18n/index.js';
import { guardPages, renderPage, type PageDeps } from '../pages.js';
import { describeLiveFlows } from '../view-models/flow-disk-state.js';
import { buildDryRunTimeline, MAX_DAYS, parseSample, readSample, type Sample } from '../view-models/flow-dry-run.js';
import { describeFlow, type FlowInWords } from '../view-models/flow-in-words.js';
import { flowNotice } from '../view-models/flow-preview.js';

/** A flow as the pages show it: in plain words, and how its file on disk stands now. */
export interface FlowView extends FlowInWords {
  /** How its file stands now (broken: the version that goes on meanwhile); null when all is well. */
  disk: string | null;
  /** false: turned off (`enabled: false`), it starts no runs. */
  enabled: boolean;
}

const SAMPLE_PHONE = '+5511912345678';

/**
 * GET /flows (Fluxos): every flow the service runs, in plain words, with the
 * problems of the flow files as they are on disk now (the service loads every
 * change at once: src/flows/live-flows.ts).
 * GET /flows/:id: one flow's steps and the dry run of it for a sample
 * customer, cold unless `warm` is given (the assembly's dry run: an in-memory
 * copy, nothing real read or written).
 */
export function flowsPage(deps: PageDeps) {
  const { locale, config } = deps;
  const t = translator(locale);

  /** How the flow files stand now: their errors, and the flows kept at their last valid version meanwhile. */
  function readDisk(loaded: readonly Flow[]) {
    return describeLiveFlows(loaded, deps.liveFlows?.state(), locale);
  }

  function flowView(flow: Flow, disk: (flow: Flow) => string | null): FlowView {
    return { ...describeFlow(flow, locale), disk: disk(flow), enabled: flow.enabled !== false };
  }

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.get('/flows', async (request, reply) => {
      const loaded = deps.services?.runner.flows ?? [];
      const disk = readDisk(loaded);
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'flows', {
        title: t('page.title.flows'),
        nav: '/flows',
        flows: loaded.map((flow) => flowView(flow, disk.diskState)),
        errors: disk.errors,
        added: disk.added,
        dir: config.flowsDir,
        running: deps.services !== undefined,
        // The editor (flow-editor-page.ts): its switch and links, and what it just wrote.
        editable: deps.flowFiles !== undefined,
        notice: flowNotice(request.query, locale),
      });
    });

    app.get<{ Params: { id: string }; Querystring: Partial<Record<keyof Sample, unknown>> }>('/flows/:id', async (request, reply) => {
      const flow = deps.services?.runner.flow(request.params.id);
      if (!flow) {
        return renderPage(reply.status(404), deps, 'flow', {
          title: t('page.title.flow_not_found'),
          nav: '/flows',
          notFound: t('page.flows.not_found', { id: request.params.id }),
        });
      }
      const sample = readSample(request.query, flow, locale);
      const disk = readDisk([flow]);
      const page = { title: flow.name, nav: '/flows', notFound: null, flow: flowView(flow, disk.diskState), sample, maxDays: MAX_DAYS, editable: deps.flowFiles !== undefined, notice: flowNotice(request.query, locale) };
      const parsed = parseSample(sample, locale);
      if (!parsed.ok) return renderPage(reply.status(400), deps, 'flow', { ...page, problems: parsed.problems, timeline: null });

      const start = deps.route.clock.now();
      const result = await deps.dryRun(flow, { phone: SAMPLE_PHONE, name: parsed.name, answers: parsed.answers, days: parsed.days, start, warm: parsed.warm });
      return renderPage(reply.header('cache-control', 'no-store'), deps, 'flow', {
        ...page,
        problems: [],
        timeline: buildDryRunTimeline(result, { start, name: parsed.name, days: parsed.days }, { locale, timeZone: config.timezone }),
      });
    });
  };
}
