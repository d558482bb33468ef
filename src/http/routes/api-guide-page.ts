import type { FastifyInstance } from 'fastify';
import { translator } from '../../i18n/index.js';
import { renderPage, type PageDeps } from '../pages.js';
import { buildApiGuide, type TokenSource } from '../view-models/api-guide.js';

/** The seller's page about the API: the menu's "API" (NAV in pages.ts) leads here. */
export const API_GUIDE_PATH = '/docs/guide';

/** Where the token is: the demo's terminal, the ADMIN_TOKEN the seller set, or the file written on the first start. */
export function tokenSource(deps: Pick<PageDeps, 'adminTokenHint' | 'config'>): TokenSource {
  if (deps.adminTokenHint === 'demo') return { kind: 'demo' };
  if (deps.config.adminToken !== undefined) return { kind: 'variable' };
  return { kind: 'file', file: deps.config.adminTokenFile };
}

/**
 * GET /docs/guide: what the API is for, where its token is and the three
 * things most done with it, in the seller's language, with a link to the
 * reader (/docs, English, for programmers). Registered by docsRoutes, whose
 * hook asks for the sign-in.
 */
export function apiGuidePage(deps: PageDeps) {
  const t = translator(deps.locale);
  const guide = buildApiGuide({ publicUrl: deps.config.publicUrl, token: tokenSource(deps), cwd: process.cwd() }, t);

  return async function apiGuide(app: FastifyInstance): Promise<void> {
    app.get(API_GUIDE_PATH, async (_request, reply) =>
      renderPage(reply, deps, 'api-guide', { title: t('page.title.api_guide'), nav: API_GUIDE_PATH, ...guide }),
    );
  };
}
