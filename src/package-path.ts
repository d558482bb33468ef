import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding fregues' package.json, whether this file runs from src/
 * (tests, tsx) or from dist/ (npm start), and whatever the working directory.
 */
function findPackageRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (fs.existsSync(path.join(dir, 'package.json')) && fs.existsSync(path.join(dir, 'db', 'migrations'))) return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('fregues: cannot find the package folder (package.json with db/migrations)');
    dir = parent;
  }
}

const root = findPackageRoot();

export function packagePath(...parts: string[]): string {
  return path.join(root, ...parts);
}

export function packageVersion(): string {
  const json = JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as { version?: string };
  return json.version ?? '0.0.0';
}
