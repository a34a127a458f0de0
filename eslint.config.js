// @ts-check
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'scratch/', 'test/output/', 'dist/', 'bench/output/', '**/*.d.ts'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // The engine is pure and runs in the browser editor too: it must not reach
    // the server, storage, queues, Node built-ins or native modules.
    files: ['src/engine/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'path', 'http', 'https', 'worker_threads', 'child_process'], message: 'The engine is pure: inject I/O through the loader.' },
            { group: ['**/server/**', '**/storage/**', '**/jobs/**', '**/blob/**', '**/node/**', '**/cli/**', '**/smart-image/**', '**/moderation/**'], message: 'The engine must not import host code (server, storage, node host, CLI).' },
            { group: ['@napi-rs/*', 'sharp', 'better-sqlite3', 'pg', 'bullmq', 'fastify', 'fontkit'], message: 'The engine must not import native or server libraries; the host injects them.' },
          ],
        },
      ],
    },
  },
);
