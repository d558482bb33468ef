import type { FastifyInstance } from 'fastify';
import type { Channel, LinkTrouble, WhatsAppLimits } from '../../channels/channel.js';
import { apiSchema } from '../openapi.js';
import { iso } from '../present.js';
import { presentLimits } from '../view-models/whatsapp-limits.js';

/** WhatsApp out of reach, times in ISO 8601. */
function presentTrouble(trouble: LinkTrouble | null) {
  return trouble === null ? null : { ...trouble, at: iso(trouble.at), retryAt: iso(trouble.retryAt) };
}

/**
 * The WhatsApp link for programs: state, WhatsApp's limits on new chats as
 * last read (`limits`, from the store: they survive a restart), unlinking,
 * resuming after a restriction.
 */
export function whatsappRoutes(channel: Channel, limits: () => WhatsAppLimits) {
  const describe = () => ({
    kind: channel.kind,
    state: channel.state,
    detail: channel.stateDetail,
    qr: channel.qr,
    breaker: { open: channel.breaker.open, reason: channel.breaker.reason, since: iso(channel.breaker.since) },
    limits: presentLimits(limits()),
    linkTrouble: presentTrouble(channel.linkTrouble),
  });

  return async function routes(app: FastifyInstance): Promise<void> {
    const state =
      '`kind`, `state` (connecting, qr, open, logged_out, banned, closed), `detail`, `qr` (while linking), `breaker` (sending paused, why, since when), `limits` (WhatsApp’s limits on new chats as last read: `cap` `{ total, used, cycleStart, cycleEnd, status: none|first_warning|second_warning|capped, readAt }`, `lock` `{ active, endsAt, kind, readAt }`, each null until read; `waVersion`; times in ISO 8601), `linkTrouble` (null, or while WhatsApp cannot be reached: `{ code: unreachable|refused|timed_out|certificate|connection_closed|unavailable|failed, statusCode, at, failures, retryAt }`).';
    app.get('/whatsapp', { schema: apiSchema({ tag: 'whatsapp', summary: 'The state of the WhatsApp link', response: { 200: state } }) }, async () => describe());

    const logout = apiSchema({ tag: 'whatsapp', summary: 'Unlink the WhatsApp number (a new QR follows)', response: { 200: `The state after unlinking: ${state}` } });
    app.post('/whatsapp/logout', { schema: logout }, async () => {
      await channel.logout();
      return describe();
    });

    const linkAgain = apiSchema({
      tag: 'whatsapp',
      summary: 'Link again now: a new connection, which shows a new QR (after an unlink, a stop, or while WhatsApp cannot be reached)',
      response: { 200: `The state after starting: ${state}` },
    });
    app.post('/whatsapp/link-again', { schema: linkAgain }, async () => {
      await channel.linkAgain();
      return describe();
    });

    const resume = apiSchema({ tag: 'whatsapp', summary: 'Resume sending after WhatsApp restricted the account', response: { 200: `The state after resuming: ${state}` } });
    app.post('/whatsapp/resume-sending', { schema: resume }, async () => {
      channel.resumeSending();
      return describe();
    });
  };
}
