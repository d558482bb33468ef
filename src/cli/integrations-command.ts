import { nuvemshopApi } from '../integrations/nuvemshop/nuvemshop-api.js';
import { DEFAULT_TIMEOUT_MS } from '../integrations/nuvemshop/nuvemshop-connector.js';
import { registerWebhooks, webhookUrlFrom } from '../integrations/nuvemshop/register-webhooks.js';
import { packageVersion } from '../package-path.js';
import type { Shell } from './main.js';
import { startCommand } from './start-command.js';

/**
 * `fregues integrations register nuvemshop <public-url>`: registers, through
 * the store's API, the webhooks of NUVEMSHOP_EVENTS pointing at
 * <public-url>/webhooks/nuvemshop. Run it again: what is there stays, what
 * is missing is added. Shopify and WooCommerce take the URL in their admin.
 */
export async function integrationsCommand(args: string[], { io, t, print, fail }: Shell): Promise<number> {
  const started = startCommand(args, {}, io, (positionals) => {
    const [action, platform, url, ...extra] = positionals;
    if (action !== 'register' || extra.length > 0) return t('cli.integrations.usage');
    if (platform === undefined || url === undefined) return t('cli.integrations.usage');
    if (platform.toLowerCase() !== 'nuvemshop') return t('cli.integrations.not_registrable', { platform });
    return { url };
  });
  if (typeof started === 'string') return fail(started);
  const { positionals, config } = started;

  const target = webhookUrlFrom(positionals.url);
  if (!target.ok) return fail(t(`cli.integrations.bad_url.${target.problem}`, { url: positionals.url }));
  const settings = config.nuvemshop;
  const missing = [
    ...(settings.appSecret === null ? ['NUVEMSHOP_APP_SECRET'] : []),
    ...(settings.storeId === '' ? ['NUVEMSHOP_STORE_ID'] : []),
    ...(settings.accessToken === '' ? ['NUVEMSHOP_ACCESS_TOKEN'] : []),
  ];
  if (missing.length > 0) return fail(t('cli.integrations.not_configured', { variables: missing.join(', ') }));

  const api = nuvemshopApi({
    apiUrl: settings.apiUrl,
    storeId: settings.storeId,
    accessToken: settings.accessToken,
    userAgent: `fregues/${packageVersion()} (${config.publicUrl})`,
    timeoutMs: DEFAULT_TIMEOUT_MS,
  });
  const result = await registerWebhooks(api, settings.events, target.url);
  const registrations = result.ok ? result.registrations : result.done;
  for (const done of registrations) print(t(`cli.integrations.${done.outcome}`, { event: done.event, url: done.url, id: done.id }));
  if (!result.ok) {
    return result.step === 'list'
      ? fail(t('cli.integrations.list_failed', { store: settings.storeId, detail: result.detail }))
      : fail(t('cli.integrations.create_failed', { event: result.event ?? '', detail: result.detail }));
  }
  print(t('cli.integrations.done', { count: registrations.length, store: settings.storeId }));
  return 0;
}
