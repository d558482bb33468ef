import { describeNuvemshopWebhookProperties } from '../integrations/nuvemshop-webhook-properties.js';
import { fuzzParameters, fuzzRuns } from './support/fuzz-run.js';

// Issue 19: POST /webhooks/nuvemshop in the fuzz suite, as webhooks.fuzz.test.ts does the two platforms whose webhook
// carries the order: FUZZ_RUNS bad signatures refused before the body is read, and a fifth of that (each goes
// through the intake or the fake store API on loopback) of signed junk and of orders the API writes oddly.
const SIGNED_RUNS = process.env.FUZZ_WEBHOOK_RUNS ? Number(process.env.FUZZ_WEBHOOK_RUNS) : Math.ceil(fuzzRuns() / 5);

describeNuvemshopWebhookProperties({ refused: fuzzRuns(), signed: SIGNED_RUNS, parameters: (name, runs) => fuzzParameters(name, runs) });
