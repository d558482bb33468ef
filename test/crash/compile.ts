import fs from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

const root = path.resolve(import.meta.dirname, '../..');

/**
 * The service's sources (src/, and the suite's entry test/crash/service.ts)
 * transpiled once to JavaScript, without type checking, into a folder under
 * node_modules/.cache (so that packages resolve as from the project, and the
 * service finds its package folder, migrations and views as from src/). The
 * crash suite starts the service dozens of times: under tsx each start costs
 * seconds of transforming on this machine, from plain JavaScript a fraction.
 * Same code as src/, nothing read from a possibly stale dist/.
 */
export function compileService(mutate?: (source: string, code: string) => string): { entry: string; dir: string } {
  // A fresh `npm ci` has no node_modules/.cache yet.
  const cache = path.join(root, 'node_modules', '.cache');
  fs.mkdirSync(cache, { recursive: true });
  const dir = fs.mkdtempSync(path.join(cache, 'fregues-crash-'));
  const sources = [
    ...fs
      .readdirSync(path.join(root, 'src'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts') && !file.endsWith('.test.ts'))
      .map((file) => path.join('src', file)),
    path.join('test', 'crash', 'service.ts'),
  ];
  for (const source of sources) {
    const output = ts.transpileModule(fs.readFileSync(path.join(root, source), 'utf8'), {
      fileName: source,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
    });
    const target = path.join(dir, source.replace(/\.ts$/, '.js'));
    fs.mkdirSync(path.dirname(target), { recursive: true });
    // `mutate`: a deliberately broken service, to show the suite fails on one (docs/reliability.md).
    fs.writeFileSync(target, mutate ? mutate(source, output.outputText) : output.outputText);
  }
  // ES modules, as the project's package.json says; this one has no db/migrations, so the service looks further up.
  fs.writeFileSync(path.join(dir, 'package.json'), '{ "type": "module" }\n');
  return { entry: path.join(dir, 'test', 'crash', 'service.js'), dir };
}
