import { vi } from 'vitest';
import { fuzzApiRoutes } from './support/api-fuzz.js';

// The API fuzz (see support/api-fuzz.ts), shard 1 of 2: the shards run in parallel, one per core.
vi.mock('fastify', async (importOriginal) => (await import('../helpers/route-recorder.js')).recordingFastify(importOriginal as never));

await fuzzApiRoutes({ index: 0, of: 2 });
