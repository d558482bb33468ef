import fs from 'node:fs';
import { stopQuietlyOnClosedPipe } from './closed-pipe.js';
import { runCli } from './main.js';

for (const stream of [process.stdout, process.stderr]) stopQuietlyOnClosedPipe(stream, (code) => process.exit(code));

if (fs.existsSync('.env')) process.loadEnvFile('.env');
process.exitCode = await runCli(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  env: process.env,
  cwd: process.cwd(),
});
