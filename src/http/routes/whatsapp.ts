import type { FastifyInstance } from 'fastify';
import type { Channel } from '../../channels/channel.js';
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
    app.get('/whatsapp', async () => describe());

    app.post('/whatsapp/logout', async () => {
      await channel.logout();
      return describe();
    });

    app.post('/whatsapp/resume-sending', async () => {
      channel.resumeSending();
      return describe();
    });
  };
}
