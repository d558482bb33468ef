import crypto from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { translator } from '../../i18n/index.js';
import { importCustomers, parseCustomersCsv } from '../../intake/import-customers.js';
import { guardPages, renderPage, requireSignIn, type PageDeps } from '../pages.js';
import { buildImportSummary, type ImportSummaryView } from '../view-models/import-preview.js';
import { boundaryOf, readMultipart, type UploadedFile } from './customers-import-upload.js';

/** The same ceiling as POST /api/customers/import. */
const UPLOAD_LIMIT = 20 * 1024 * 1024;
/** A preview is kept this long for its confirm button, and only the latest few are kept. */
const PREVIEW_TTL_MS = 30 * 60_000;
const PREVIEWS_KEPT = 4;

interface HeldPreview {
  file: string;
  content: Buffer;
  heldAt: number;
}

/**
 * Clientes › Importar planilha: upload a CSV, see the dry run (how many would
 * be created or updated, each rejected line with its reason, the columns left
 * out), then import. The same reader and writer as POST /api/customers/import
 * and `fregues import`. Between preview and confirm the file waits in memory
 * under a random id, so the confirm form carries no spreadsheet.
 */
export function customersImportPage(deps: PageDeps) {
  const t = translator(deps.locale);
  const { repos, clock, intake } = deps.route;
  const wallNow = deps.wallNow ?? Date.now;
  const held = new Map<string, HeldPreview>();

  function hold(preview: HeldPreview): string {
    for (const [id, entry] of held) if (wallNow() - entry.heldAt > PREVIEW_TTL_MS) held.delete(id);
    while (held.size >= PREVIEWS_KEPT) held.delete(held.keys().next().value as string);
    const id = crypto.randomBytes(18).toString('base64url');
    held.set(id, preview);
    return id;
  }

  function page(reply: FastifyReply, data: { stage: 'upload' | 'preview' | 'done'; problem?: string; report?: ImportSummaryView; file?: string; preview?: string }) {
    return renderPage(reply.header('cache-control', 'no-store'), deps, 'customers-import', {
      title: t('page.title.customers_import'),
      nav: '/customers',
      problem: null,
      ...data,
    });
  }

  return async (app: FastifyInstance) => {
    // Refused before the body is read: an upload is up to 20 MiB.
    app.addHook('onRequest', requireSignIn(deps));
    guardPages(app, deps);
    app.addContentTypeParser('multipart/form-data', { parseAs: 'buffer', bodyLimit: UPLOAD_LIMIT }, (request, body, done) => {
      const boundary = boundaryOf(request.headers['content-type']);
      const form = boundary === undefined ? undefined : readMultipart(body as Buffer, boundary);
      // A body that is not a form gets an empty one: the form token check then refuses it.
      done(null, form ?? {});
    });

    app.setErrorHandler(async (error: Error & { code?: string }, _request, reply) => {
      // Anything else goes on to the pages' own handler.
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error;
      return page(reply.status(413), { stage: 'upload', problem: t('page.import.too_large', { max: UPLOAD_LIMIT / 1024 / 1024 }) });
    });

    app.get('/customers/import', async (_request, reply) => page(reply, { stage: 'upload' }));

    app.post<{ Body: Record<string, unknown> }>('/customers/import', { bodyLimit: UPLOAD_LIMIT }, async (request, reply) => {
      const file = request.body?.file as UploadedFile | string | undefined;
      if (typeof file !== 'object' || file.content.length === 0) {
        return page(reply.status(400), { stage: 'upload', problem: t('page.import.no_file') });
      }
      const parsed = parseCustomersCsv(file.content, intake);
      if (!parsed.ok) return page(reply.status(400), { stage: 'upload', problem: t('page.import.invalid', { detail: parsed.message }) });
      const report = importCustomers(repos, parsed.value, clock.now(), { dryRun: true });
      const preview = report.imported > 0 ? hold({ file: file.filename, content: file.content, heldAt: wallNow() }) : '';
      return page(reply, { stage: 'preview', report: buildImportSummary(report, t), file: file.filename, preview });
    });

    app.post<{ Body: { preview?: unknown } }>('/customers/import/confirm', async (request, reply) => {
      const id = typeof request.body?.preview === 'string' ? request.body.preview : '';
      const preview = held.get(id);
      // Taken once: a second click, or a reload of the answer, imports nothing twice.
      held.delete(id);
      if (!preview || wallNow() - preview.heldAt > PREVIEW_TTL_MS) {
        return page(reply.status(409), { stage: 'upload', problem: t('page.import.expired') });
      }
      const parsed = parseCustomersCsv(preview.content, intake);
      if (!parsed.ok) return page(reply.status(400), { stage: 'upload', problem: t('page.import.invalid', { detail: parsed.message }) });
      const report = importCustomers(repos, parsed.value, clock.now());
      return page(reply, { stage: 'done', report: buildImportSummary(report, t), file: preview.file });
    });
  };
}
