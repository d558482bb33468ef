import type { FastifyInstance } from 'fastify';
import type { Channel } from '../../channels/channel.js';
import { apiSchema } from '../openapi.js';
import { iso } from '../present.js';

/** The WhatsApp link for programs: state, unlinking, resuming after a restriction. */
export function whatsappRoutes(channel: Channel) {
  const describe = () => ({
    kind: channel.kind,
    state: channel.state,
    detail: channel.stateDetail,
    qr: channel.qr,
    breaker: { open: channel.breaker.open, reason: channel.breaker.reason, since: iso(channel.breaker.since) },
  });

  return async function routes(app: FastifyInstance): Promise<void> {
    const state = '`kind`, `state` (connecting, qr, open, logged_out, banned, closed), `detail`, `qr` (while linking), `breaker` (sending paused, why, since when).';
    app.get('/whatsapp', { schema: apiSchema({ tag: 'whatsapp', summary: 'The state of the WhatsApp link', response: { 200: state } }) }, async () => describe());

    const logout = apiSchema({ tag: 'whatsapp', summary: 'Unlink the WhatsApp number (a new QR follows)', response: { 200: `The state after unlinking: ${state}` } });
    app.post('/whatsapp/logout', { schema: logout }, async () => {
      await channel.logout();
      return describe();
    });

    const resume = apiSchema({ tag: 'whatsapp', summary: 'Resume sending after WhatsApp restricted the account', response: { 200: `The state after resuming: ${state}` } });
    app.post('/whatsapp/resume-sending', { schema: resume }, async () => {
      channel.resumeSending();
      return describe();
    });
  };
}
