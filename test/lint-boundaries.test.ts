import path from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '..');
const fixtures = path.join(root, 'test/fixtures/lint/src');

async function lint(file: string): Promise<{ rule: string | null; message: string }[]> {
  // The fixtures are ignored by `npm run lint`; here they are linted on purpose.
  const eslint = new ESLint({ cwd: root, ignore: false });
  const [result] = await eslint.lintFiles([path.join(fixtures, file)]);
  return (result?.messages ?? []).map((m) => ({ rule: m.ruleId, message: m.message }));
}

describe('the dependency-direction lint rule of design.md', () => {
  it.each([
    ['domain/imports-storage.ts', '@typescript-eslint/no-restricted-imports', 'src/domain imports nothing of ours'],
    ['domain/imports-fastify.ts', '@typescript-eslint/no-restricted-imports', 'HTTP belongs in src/http'],
    ['inbox/uses-baileys.ts', '@typescript-eslint/no-restricted-imports', 'Baileys belongs in src/channels/baileys'],
    ['flows/reads-env.ts', 'no-restricted-properties', 'Read configuration in src/config.ts'],
    ['reports/imports-repository-value.ts', '@typescript-eslint/no-restricted-imports', 'Import repository types only'],
    ['http/checks-simulator-class.ts', '@typescript-eslint/no-restricted-imports', 'http/ gets the simulator from the assembly'],
    ['http/imports-cli.ts', '@typescript-eslint/no-restricted-imports', 'http/ does not depend on the command line'],
  ])('rejects %s', async (file, rule, message) => {
    const messages = await lint(file);
    expect(messages).toContainEqual({ rule, message: expect.stringContaining(message) });
  }, 60_000);

  it('rejects a value import of the schema from reports/', async () => {
    const messages = await lint('reports/imports-repository-value.ts');
    expect(messages.map((m) => m.message)).toContainEqual(expect.stringContaining('Use a repository interface, not the database'));
  }, 60_000);

  it('lets domain, repository types, Channel and Clock through', async () => {
    expect(await lint('inbox/allowed.ts')).toEqual([]);
  }, 60_000);

  it("lets http/ use the simulator's types and the assembly's capabilities", async () => {
    expect(await lint('http/allowed.ts')).toEqual([]);
  }, 60_000);
});
