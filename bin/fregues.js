#!/usr/bin/env node
// The `fregues` command. The TypeScript is compiled into dist/ by `npm ci`
// (the prepare script) and by `npm run build`.
import { existsSync } from 'node:fs';

const entry = new URL('../dist/cli/bin.js', import.meta.url);
if (!existsSync(entry)) {
  console.error('fregues: dist/ is missing; run `npm run build` in the fregues folder first.');
  process.exit(1);
}
await import(entry.href);
