import rateLimit from '@fastify/rate-limit';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, type FastifyReply, type FastifyRequest, type onRequestAsyncHookHandler } from 'fastify';
import { pino, type Logger } from 'pino';
import type { Channel } from './channels/channel.js';
import type { Config } from './config.js';
import { requireBearer } from './http/auth.js';
import { errorAnswer, installErrorHandler, notFoundHandler } from './http/error-handler.js';
import { HttpError } from './http/errors.js';
import { API_HEADERS, installSecurityHeaders, securityHeaders } from './http/security-headers.js';
import { customerRoutes } from './http/routes/customers.js';
import { segmentRoutes } from './http/routes/segments.js';
import { rewardRoutes } from './http/routes/rewards.js';
import { campaignRoutes } from './http/routes/campaigns.js';
import type { CampaignService } from './campaigns/campaigns.js';
import { healthRoutes } from './http/routes/health.js';
import { purchaseRoutes } from './http/routes/purchases.js';
import { simulatorRoutes } from './http/routes/simulator.js';
import { whatsappRoutes } from './http/routes/whatsapp.js';
import { connectRoutes } from './http/routes/connect.js';
import { simulatorPage } from './http/routes/simulator-page.js';
import { flowsPage } from './http/routes/flows-page.js';
import { flowEditorPage } from './http/routes/flow-editor-page.js';
import { outboxPage } from './http/routes/outbox-page.js';
import { customersPage } from './http/routes/customers-page.js';
import { customersImportPage } from './http/routes/customers-import-page.js';
import { optInCardPage } from './http/routes/opt-in-card-page.js';
import { newSalePage } from './http/routes/new-sale-page.js';
import { describeOnly, docsRoutes, registerOpenApi } from './http/openapi.js';
import { dashboardPage } from './http/routes/dashboard-page.js';
import { campaignsPage } from './http/routes/campaigns-page.js';
import { integrationsPage } from './http/routes/integrations-page.js';
import type { FlowFileStore, LiveFlowControl } from './flows/flow-editing.js';
import { registerPages, type AdminTokenHint, type PageDeps } from './http/pages.js';
import { limitsBanner } from './http/view-models/whatsapp-limits.js';
import { translate } from './i18n/index.js';
import { censorInLogs, loggerOptions } from './logger.js';
import { packageVersion } from './package-path.js';
import type { Clock } from './scheduler/clock.js';
import type { Customer, Purchase } from './domain/customer.js';
import type { FlowServices as AllFlowServices } from './scheduler/flow-services.js';
import { clockRoutes } from './http/routes/clock.js';
import { flowRoutes } from './http/routes/flows.js';
import { outboxRoutes } from './http/routes/outbox.js';
import { reportRoutes } from './http/routes/reports.js';
import { webhookRoutes } from './integrations/webhooks.js';
import { reviewLinkRoute } from './http/routes/review-link.js';
import type { NuvemshopConnector } from './integrations/nuvemshop/nuvemshop-connector.js';
import { nuvemshopWebhookRoute } from './integrations/nuvemshop/webhook-route.js';
import type { RecordedTraffic } from './inbox/record-traffic.js';
import type { Database } from './storage/db.js';
import type { DryRun } from './simulation/dry-run.js';
import type { Simulation } from './simulation/simulation.js';
import type { GroupCommit } from './storage/group-commit.js';
import { createRepositories } from './storage/repositories/index.js';

export interface AppDeps {
  /** The whole configuration: the pages show flows (FLOWS_DIR) and the weekly summary. */
  config: Config;
  db: Database;
  clock: Clock;
  adminToken: string;
  /** What the sign-in page says about the token: the demo's printed one, or the service's (default). */
  adminTokenHint?: AdminTokenHint | undefined;
  /** A logger to write to (tests capture it); by default one is made from config.logLevel. */
  logger?: Logger;
  /** The WhatsApp link (or the simulator): /health, /connect and /api/whatsapp read and drive it. */
  channel: Channel;
  /** The group commit the writes of the service share with the recording of the channel's traffic. */
  writes: GroupCommit;
  /** The channel's traffic as it is stored: the simulator's routes answer once what they caused is stored. */
  traffic: Pick<RecordedTraffic, 'settled'>;
  /** The flows and their scheduler; without them purchases start no runs. */
  flows?: FlowServices;
  /** A flow's dry run (the flow page's timeline). */
  dryRun: DryRun;
  /** The flows loaded again whenever a flow file changes (the Fluxos page: reload after a save, the files' errors). */
  liveFlows?: LiveFlowControl | undefined;
  /** The flow files the Fluxos page's editor reads and writes (saves validated by the loader, history kept). */
  flowFiles?: FlowFileStore | undefined;
  /** With CHANNEL=simulator: /api/simulator, the Simulador page, time travel. */
  simulation?: Simulation | undefined;
  /** With NUVEMSHOP_APP_SECRET: POST /webhooks/nuvemshop's intake (the route answers 404 without it). */
  nuvemshop?: NuvemshopConnector | undefined;
  /** One-off messages to a segment (issue 21): /api/campaigns. */
  campaigns?: CampaignService | undefined;
}

export const JSON_BODY_LIMIT = 1024 * 1024;

export type FlowServices = Pick<AllFlowServices, 'runner' | 'scheduler' | 'weekly'>;

/** The HTTP service, ready for app.inject or listen; it never listens by itself. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  // Whatever line it would turn up in (an address, an error), the admin token is not logged.
  censorInLogs(deps.adminToken);
  const logger: FastifyBaseLogger = deps.logger ?? pino(loggerOptions(config.logLevel));
  const { trustProxy } = config;
  const answerError = errorAnswer(config.locale, JSON_BODY_LIMIT);
  const errorHeaders = securityHeaders(API_HEADERS);
  const app = Fastify({
    loggerInstance: logger,
    // A hop count is given to Fastify as the function it stands for.
    trustProxy: typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : trustProxy,
    bodyLimit: JSON_BODY_LIMIT,
    // Addresses the router cannot read ("%zz", a parameter too long) answer in the error format
    // too, with the headers of every answer (no route, so no onRequest hook sets them).
    frameworkErrors: (error, request, reply) => {
      void answerError(error, request, reply.headers(errorHeaders));
    },
  });
  // Only JSON is accepted by default: a body sent as text/plain is a mistake to report (415), not to guess.
  app.removeContentTypeParser('text/plain');
  installErrorHandler(app, config.locale, JSON_BODY_LIMIT);
  installSecurityHeaders(app);

  const repos = createRepositories(deps.db);
  const ctx = {
    repos,
    writes: deps.writes,
    trafficStored: async () => {
      await deps.traffic.settled();
    },
    flows: deps.flows && {
      runner: deps.flows.runner,
      enroll: (customer: Customer, purchase: Purchase) => deps.flows!.runner.enrollForPurchase(customer, purchase),
    },
    clock: deps.clock,
    locale: config.locale,
    intake: {
      locale: config.locale,
      defaultCountry: config.defaultCountry,
      currency: config.currency,
      clock: deps.clock,
    },
  };

  // Before every route: @fastify/swagger builds the OpenAPI document from the routes as they are added.
  await registerOpenApi(app, packageVersion());

  // One limit per client address (request.ip: X-Forwarded-For only with TRUST_PROXY) for everything
  // that tries the admin token: every /api request, and a page or /health asked with an
  // Authorization header. The limiter runs before the token is checked, so wrong tokens are counted
  // and refused with 429 once over the limit. A browser signed in by its cookie is not counted.
  await app.register(rateLimit, {
    global: false,
    max: config.apiRateLimit,
    timeWindow: 60_000,
    // Limit headers only on the 429 itself: an admin API's clients do not pace by them.
    addHeadersOnExceeding: { 'x-ratelimit-limit': false, 'x-ratelimit-remaining': false, 'x-ratelimit-reset': false },
    errorResponseBuilder: (_request, context) =>
      new HttpError(429, 'rate_limited', translate(config.locale, 'error.rate_limited', { after: context.after })),
  });
  const limit = app.rateLimit() as unknown as onRequestAsyncHookHandler;
  const limitTokenAttempts = (request: FastifyRequest, reply: FastifyReply, done: (error?: Error) => void): void => {
    if (request.headers.authorization === undefined) done();
    else limit.call(app, request, reply).then(() => done(), done);
  };

  await app.register(async (health) => {
    health.addHook('onRequest', limitTokenAttempts);
    await health.register(
      healthRoutes({
        db: deps.db,
        channel: deps.channel,
        version: packageVersion(),
        startedAt: Date.now(),
        adminToken: deps.adminToken,
        locale: config.locale,
        limits: () => repos.whatsappLimits.read(),
        now: () => deps.clock.now(),
      }),
    );
  });

  await app.register(
    async (api) => {
      api.addHook('onRequest', limit);
      api.addHook('onRequest', requireBearer(deps.adminToken, config.locale));
      // The routes' schemas are for the OpenAPI document only: their handlers validate with zod (see describeOnly).
      api.setValidatorCompiler(describeOnly);
      api.setNotFoundHandler(notFoundHandler(config.locale));
      await api.register(purchaseRoutes(ctx));
      await api.register(customerRoutes(ctx));
      await api.register(segmentRoutes(ctx, config.timezone));
      await api.register(rewardRoutes(ctx));
      if (deps.campaigns) await api.register(campaignRoutes(ctx, deps.campaigns));
      await api.register(whatsappRoutes(deps.channel, () => repos.whatsappLimits.read()));
      await api.register(outboxRoutes(ctx, deps.flows?.scheduler));
      if (deps.flows) await api.register(flowRoutes(ctx, deps.flows.runner));
      if (deps.flows) await api.register(reportRoutes(ctx, deps.flows.weekly, config.timezone));
      if (deps.simulation) {
        await api.register(simulatorRoutes(ctx, deps.simulation));
        if (deps.simulation.travel) await api.register(clockRoutes(ctx, deps.simulation.travel));
      }
    },
    { prefix: '/api' },
  );

  // Store platforms' webhooks: outside /api and its token, each signed by its platform (issue 19).
  await app.register(webhookRoutes({ ...ctx, config, locale: config.locale }));
  await app.register(nuvemshopWebhookRoute({ connector: deps.nuvemshop, locale: config.locale }));
  // The tracked review links a customer opens from WhatsApp (issue 21): public, like the webhooks.
  await app.register(reviewLinkRoute({ repos, clock: deps.clock, shopReviewUrl: config.shopReviewUrl, locale: config.locale }));

  await app.register(async (pages) => {
    pages.addHook('onRequest', limitTokenAttempts);
    const pageDeps: PageDeps = {
      locale: config.locale,
      adminToken: deps.adminToken,
      adminTokenHint: deps.adminTokenHint,
      now: () => deps.clock.now(),
      simulator: deps.simulation !== undefined,
      sessions: repos.sessions,
      route: ctx,
      config,
      channel: deps.channel,
      services: deps.flows,
      dryRun: deps.dryRun,
      liveFlows: deps.liveFlows,
      flowFiles: deps.flowFiles,
      simulation: deps.simulation,
      banner: limitsBanner(() => repos.whatsappLimits.read(), () => deps.clock.now(), { locale: config.locale, timeZone: config.timezone }),
    };
    await registerPages(pages, pageDeps);
    await pages.register(connectRoutes({ ...pageDeps, defaultCountry: config.defaultCountry, timezone: config.timezone }));
    await pages.register(simulatorPage(pageDeps));
    await pages.register(flowsPage(pageDeps));
    await pages.register(flowEditorPage(pageDeps));
    await pages.register(outboxPage(pageDeps));
    await pages.register(customersImportPage(pageDeps));
    await pages.register(customersPage(pageDeps));
    await pages.register(optInCardPage(pageDeps));
    await pages.register(newSalePage(pageDeps));
    await pages.register(docsRoutes(pageDeps));
    await pages.register(dashboardPage(pageDeps));
    await pages.register(integrationsPage({ ...pageDeps, nuvemshop: deps.nuvemshop }));
    if (deps.campaigns) await pages.register(campaignsPage({ ...pageDeps, campaigns: deps.campaigns }));
  });

  return app;
}
