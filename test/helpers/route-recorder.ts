import type * as FastifyModule from 'fastify';
import type { RouteOptions } from 'fastify';

/** Every route the service registered, as Fastify announced it (onRoute), in every instance and plugin. */
export const registered: { method: string; url: string }[] = [];

/**
 * The fastify module with an onRoute hook on every instance it makes; for
 * `vi.mock('fastify', (importOriginal) => recordingFastify(importOriginal))`.
 * A test file that does so sees every route its apps register in `registered`.
 */
export async function recordingFastify(importOriginal: () => Promise<typeof FastifyModule>): Promise<typeof FastifyModule> {
  const actual = await importOriginal();
  const wrapped = ((options?: Parameters<typeof actual.default>[0]) => {
    const app = actual.default(options);
    app.addHook('onRoute', (route: RouteOptions) => {
      for (const method of [route.method].flat()) registered.push({ method, url: route.url });
    });
    return app;
  }) as typeof actual.default;
  return { ...actual, default: wrapped };
}
