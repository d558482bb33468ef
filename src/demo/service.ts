import type { FastifyInstance } from 'fastify';
import type { SimulatorChannel } from '../channels/simulator/simulator-channel.js';
import type { ManualClock } from '../scheduler/clock.js';
import type { DemoService } from './seed.js';

/** The demo's seed drives the service as a program would: through its API, with the admin token. */
export function demoServiceOf(app: FastifyInstance, simulator: SimulatorChannel, clock: ManualClock, token: string): DemoService {
  async function call(url: string, payload: Record<string, unknown>, expected: number[]): Promise<void> {
    await answer(url, payload, expected);
  }
  async function answer(url: string, payload: Record<string, unknown>, expected: number[]): Promise<Record<string, unknown>> {
    const response = await app.inject({ method: 'POST', url, payload, headers: { authorization: `Bearer ${token}` } });
    if (!expected.includes(response.statusCode)) throw new Error(`demo: POST ${url} answered ${response.statusCode}: ${response.body}`);
    return response.json<Record<string, unknown>>();
  }
  return {
    clock,
    simulator,
    purchase: (body) => call('/api/purchases', body, [200, 201]),
    say: (from, message) => call('/api/simulator/messages', { from, ...message }, [201]),
    travel: (to) => call('/api/simulator/clock', { to: new Date(to).toISOString() }, [200]),
    limitNewChats: (quota) => call('/api/simulator/faults', { newChatCap: quota }, [200]),
    saveSegment: (body) => call('/api/segments', body, [201]),
    campaign: async (body) => Number((await answer('/api/campaigns', body, [201])).id),
  };
}
