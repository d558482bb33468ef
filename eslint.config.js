// @ts-check
import js from '@eslint/js';
import { defineConfig } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

/** Packages that only main.ts, storage/, channels/ adapters, http/ and cli/ may use (design.md, Architecture). */
const infrastructure = [
  { group: ['fastify', '@fastify/*'], message: 'HTTP belongs in src/http; pass data in, not the framework.' },
  { group: ['drizzle-orm', 'drizzle-orm/*', 'better-sqlite3'], message: 'SQL belongs in src/storage/repositories; depend on a repository interface.' },
  { group: ['@whiskeysockets/baileys', '@whiskeysockets/baileys/*'], message: 'Baileys belongs in src/channels/baileys; depend on the Channel interface.' },
  { group: ['node-cron'], message: 'Cron only ticks, in src/scheduler and main.ts.' },
];

const noEnv = {
  'no-restricted-properties': [
    'error',
    { object: 'process', property: 'env', message: 'Read configuration in src/config.ts and pass it in.' },
  ],
};

export default defineConfig(
  {
    ignores: ['dist/', 'node_modules/', 'coverage/', 'data/', 'db/', 'test/artifacts/', 'test/fixtures/'],
  },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommended],
    languageOptions: { globals: globals.node },
  },
  {
    // Type-aware rules need the file in a tsconfig; lint fixtures are checked without them.
    files: ['**/*.ts'],
    ignores: ['test/fixtures/**'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Tests read JSON responses (typed any) and assert on their shape; the assertion is the check.
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // Snapshots hold text as Intl writes it, with its no-break spaces ("R$ 2.345", "60 %").
      'no-irregular-whitespace': ['error', { skipTemplates: true }],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    // Scripts the seller's browser runs.
    files: ['src/http/assets/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
  },
  // Dependency direction (design.md): domain imports nothing of ours; flows, inbox
  // and reports see domain, repository interfaces, Channel and Clock, never the
  // concrete database, WhatsApp, HTTP or the environment.
  {
    files: ['**/src/domain/**/*.ts'],
    rules: {
      ...noEnv,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['../*', '../**'], message: 'src/domain imports nothing of ours outside src/domain.' },
            ...infrastructure,
          ],
        },
      ],
    },
  },
  {
    files: ['**/src/flows/**/*.ts', '**/src/inbox/**/*.ts', '**/src/reports/**/*.ts'],
    rules: {
      ...noEnv,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            ...infrastructure,
            {
              group: ['**/storage/db*', '**/storage/schema*'],
              message: 'Use a repository interface, not the database.',
            },
            {
              group: ['**/storage/repositories/*'],
              allowTypeImports: true,
              message: 'Import repository types only; main.ts chooses the implementation.',
            },
            {
              group: ['**/channels/baileys/**', '**/channels/simulator/**'],
              message: 'Depend on the Channel interface (src/channels/channel.ts).',
            },
            { group: ['**/http/**', '**/app*', '**/main*', '**/cli/**'], message: 'Outer layers depend on this one, not the reverse.' },
            { group: ['**/config*'], allowTypeImports: true, message: 'Take configuration values as arguments.' },
          ],
        },
      ],
    },
  },
  {
    // http/ is handed what it may do (the simulation, the dry run) by the assembly; it chooses nothing
    // by the channel's class and never reaches into the CLI.
    files: ['**/src/http/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/channels/simulator/**'],
              allowTypeImports: true,
              message: 'http/ gets the simulator from the assembly (AppDeps.simulation), by type only.',
            },
            { group: ['**/cli/**'], message: 'http/ does not depend on the command line; shared code goes in a folder both use.' },
            { group: ['**/app', '**/app.js', '**/assemble*', '**/service*', '**/main*'], message: 'Outer layers depend on http/, not the reverse.' },
          ],
        },
      ],
    },
  },
);
