import fs from 'node:fs';
import type { FastifyInstance, FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import type { Channel, ChannelState } from '../../channels/channel.js';
import { linkRefusalOf } from '../../channels/link-refusal.js';
import { normalizePhone, type CountryCode } from '../../domain/phone.js';
import type { Config } from '../../config.js';
import { createOptIn } from '../../intake/opt-in.js';
import { translator } from '../../i18n/index.js';
import { packagePath } from '../../package-path.js';
import { guardPages, renderPage, type PageContext } from '../pages.js';
import { renderMarkdown } from '../render-markdown.js';
import { buildWhatsAppLimits } from '../view-models/whatsapp-limits.js';
import type { RouteContext } from './context.js';
import type { Simulation } from '../../simulation/simulation.js';
import { messageOf } from '../../domain/errors.js';

export interface ConnectDeps extends PageContext {
  channel: Channel;
  /** SHOP_NAME: in the text the shop's click-to-chat link types for the customer. */
  config: Pick<Config, 'shopName'>;
  defaultCountry: CountryCode;
  timezone: string;
  /**
   * WhatsApp's limits and the shop's number as last seen (repos.whatsappLimits) and the service's clock;
   * with the simulator, linking hands over what customers sent meanwhile: the page waits until it is stored.
   */
  route: Pick<RouteContext, 'trafficStored' | 'repos' | 'clock'>;
  /** With CHANNEL=simulator: the shop's phone to play. */
  simulation?: Pick<Simulation, 'phones' | 'refusal'> | undefined;
}

/** When the real channel shows the QR part of the page: a QR may come in each of these states. */
const LINKING_STATES: readonly ChannelState[] = ['qr', 'connecting', 'logged_out'];

/**
 * GET /connect: linking the shop's number. Shows the current QR (which
 * connect.js refreshes from /connect/status as WhatsApp rotates it), the state
 * in the seller's language, linking by pairing code, unlinking and resuming
 * after a restriction; WhatsApp's limits on new chats as last read, the
 * WhatsApp Web version in use, and the shop's click-to-chat link with its QR
 * (the customer writing first is what keeps a number within those limits).
 * GET /connect/whatsapp-limits is the seller's page about them
 * (docs/whatsapp-limits.md). With the simulator the same page links the simulated
 * number: its QR shows as the real one does, and two buttons play the shop's
 * phone (scanning the QR, typing the pairing code).
 */
export function connectRoutes(deps: ConnectDeps) {
  const t = translator(deps.locale);

  async function status() {
    const { channel } = deps;
    return {
      state: channel.state,
      stateText: t(`whatsapp.state.${channel.state}`),
      detail: channel.stateDetail,
      qr: channel.state === 'qr' && channel.qr ? await QRCode.toDataURL(channel.qr, { margin: 1, width: 264 }) : null,
      breaker: channel.breaker,
      trouble: troubleView(),
      // Nothing linked and nothing linking (after "Desconectar", or stopped): the button that starts a new linking.
      linkAgain: channel.state === 'logged_out' || channel.state === 'closed',
    };
  }

  /** A time of today in the shop's TIMEZONE, to the second: tries come seconds apart. */
  const timeOfDay = new Intl.DateTimeFormat(deps.locale, { timeStyle: 'medium', timeZone: deps.timezone });

  /** WhatsApp cannot be reached (no QR ever came): the last error in words, when, and the next try. */
  function troubleView(): { lastError: string; retry: string } | null {
    const trouble = deps.channel.linkTrouble;
    if (trouble === null || deps.channel.state === 'qr' || deps.channel.state === 'open') return null;
    return {
      lastError: t('page.connect.trouble.last_error', { time: timeOfDay.format(trouble.at), error: t(`link.error.${trouble.code}`) }),
      retry: trouble.retryAt === null ? t('page.connect.trouble.retrying') : t('page.connect.trouble.retry', { time: timeOfDay.format(trouble.retryAt) }),
    };
  }

  function breakerText(): string | null {
    const { breaker } = deps.channel;
    if (!breaker.open || breaker.since === null) return null;
    const since = new Intl.DateTimeFormat(deps.locale, { dateStyle: 'short', timeStyle: 'short', timeZone: deps.timezone }).format(breaker.since);
    return t('page.connect.breaker_open', { since, reason: t(`whatsapp.detail.${breaker.reason ?? 'restricted'}`) });
  }

  /** A channel's refusal to link, in the seller's words; null for anything else. */
  function refusalText(error: unknown): string | null {
    const reason = linkRefusalOf(error);
    return reason === null ? null : t(`link.refused.${reason}`);
  }

  const simulation = deps.simulation ?? null;
  const { repos, clock } = deps.route;
  // The same link as the printable card's (GET /card): the number linked now, or the one last seen linked.
  const optIn = createOptIn({ repos, locale: deps.locale, shopPhone: () => deps.channel.linkedPhone ?? repos.whatsappLimits.shopPhone() });

  /** The limits as the channel last read them, and the link that lets a customer write to the shop first. */
  async function limits() {
    const view = buildWhatsAppLimits(repos.whatsappLimits.read(), clock.now(), { locale: deps.locale, timeZone: deps.timezone });
    const shopLink = optIn.shopLink(deps.config.shopName);
    return {
      limits: view,
      shopLink,
      shopQr: shopLink === null ? null : await QRCode.toDataURL(shopLink, { margin: 1, width: 200 }),
    };
  }

  async function page(extra: { pairingCode?: string; pairingError?: string; phone?: string; linkError?: string } = {}) {
    const { state } = deps.channel;
    const current = await status();
    return {
      title: t('page.title.connect'),
      nav: '/connect',
      ...current,
      simulator: deps.channel.kind === 'simulator',
      // The simulator's QR comes only in 'qr' (its 'connecting' is a dropped link, not a linking).
      // WhatsApp out of reach: no QR and no pairing code can come, the explanation says why instead.
      linking: (simulation ? state === 'qr' : LINKING_STATES.includes(state)) && current.trouble === null,
      linkError: extra.linkError ?? null,
      breakerText: breakerText(),
      pairingCode: extra.pairingCode ?? null,
      pairingError: extra.pairingError ?? null,
      phone: extra.phone ?? '',
      ...(await limits()),
    };
  }

  /** docs/whatsapp-limits.md, read once: it changes with a new version of fregues, not while it runs. */
  let guide: string | undefined;
  const readGuide = () => (guide ??= renderMarkdown(fs.readFileSync(packagePath('docs', 'whatsapp-limits.md'), 'utf8'), { dropTitle: true }));

  return async function routes(app: FastifyInstance): Promise<void> {
    guardPages(app, deps);

    app.get('/connect', async (_request, reply) => renderPage(reply.header('cache-control', 'no-store'), deps, 'connect', await page()));

    app.get('/connect/status', async (_request, reply) => reply.header('cache-control', 'no-store').send(await status()));

    app.get('/connect/whatsapp-limits', async (_request, reply) =>
      renderPage(reply, deps, 'document', { title: t('limits.learn_more'), nav: '/connect', html: readGuide() }),
    );

    app.post<{ Body: { phone?: string } }>('/connect/pairing-code', async (request, reply) => {
      const typed = typeof request.body?.phone === 'string' ? request.body.phone : '';
      const phone = normalizePhone(typed, deps.defaultCountry);
      if (!phone.ok) {
        return renderPage(reply.status(400), deps, 'connect', await page({ phone: typed, pairingError: t('page.connect.pairing_failed', { detail: t(`phone.${phone.problem}`) }) }));
      }
      try {
        const code = await deps.channel.requestPairingCode(phone.e164);
        return renderPage(reply, deps, 'connect', await page({ phone: typed, pairingCode: code }));
      } catch (error) {
        const refused = refusalText(error);
        // WhatsApp's own failure (a dropped connection, a timeout): said as such, its text kept as the error's.
        if (refused === null) request.log.warn({ err: error }, t('log.pairing_failed'));
        const detail = refused ?? t('link.failed', { error: messageOf(error) });
        return renderPage(reply.status(409), deps, 'connect', await page({ phone: typed, pairingError: t('page.connect.pairing_failed', { detail }) }));
      }
    });

    if (simulation) {
      /** The shop's phone, played: scans the QR shown, or types the pairing code it was given. */
      const simulatePhone = async (reply: FastifyReply, act: () => void) => {
        try {
          act();
        } catch (error) {
          const refused = refusalText(error) ?? simulation.refusal(error);
          if (refused === null) throw error;
          return renderPage(reply.status(400), deps, 'connect', await page({ linkError: t('page.connect.simulate_failed', { detail: refused }) }));
        }
        await deps.route.trafficStored();
        return reply.redirect('/connect', 303);
      };

      app.post('/connect/simulate-scan', async (_request, reply) => simulatePhone(reply, () => simulation.phones.scanQr()));

      app.post<{ Body: { code?: string } }>('/connect/simulate-code', async (request, reply) =>
        simulatePhone(reply, () => simulation.phones.enterPairingCode(typeof request.body?.code === 'string' ? request.body.code : '')),
      );
    }

    app.post('/connect/logout', async (_request, reply) => {
      await deps.channel.logout();
      return reply.redirect('/connect', 303);
    });

    app.post('/connect/link-again', async (_request, reply) => {
      await deps.channel.linkAgain();
      return reply.redirect('/connect', 303);
    });

    app.post('/connect/resume', async (_request, reply) => {
      deps.channel.resumeSending();
      return reply.redirect('/connect', 303);
    });
  };
}

