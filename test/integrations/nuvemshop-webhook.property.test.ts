import { describeNuvemshopWebhookProperties } from './nuvemshop-webhook-properties.js';

// The regular suite's share of the Nuvemshop webhook's properties: a few hundred cases each, the seed printed
// (a failing seed is a bug to fix, never a run to repeat). The fuzz suite runs the same with FUZZ_RUNS.
const RUNS = 150;
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : Math.floor(Math.random() * 2 ** 31);

describeNuvemshopWebhookProperties({
  refused: RUNS,
  signed: RUNS,
  parameters: (name, runs) => {
    console.log(`[property] ${name}: ${runs} runs, seed ${SEED} (replay: FUZZ_SEED=${SEED} npx vitest run test/integrations/nuvemshop-webhook.property.test.ts -t '${name}')`);
    return { numRuns: runs, seed: SEED, verbose: 1 };
  },
});
