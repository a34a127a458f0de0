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
  {
    // The editor's browser bundle draws with the engine and talks to the API over HTTP: no server or Node host code.
    files: ['web/src/editor/**/*.{ts,tsx}'],
    ignores: ['web/src/editor/model/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/src/server/**', '**/src/storage/**', '**/src/jobs/**', '**/src/blob/**', '**/src/node/**', '**/src/cli/**', 'node:*'], message: 'The editor runs in the browser: use the engine (src/engine, web/src/engine-host) and the HTTP API.' }] },
      ],
    },
  },
  {
    // The editor's document model is plain data (tested in Node): no UI library, no DOM code, no server.
    files: ['web/src/editor/model/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['preact', 'preact/*', '@preact/*', '../ui/*', '../store.js', '../renderer.js', '../engine.js', '../api.js', '../embed.js'], message: 'The editor model is pure: the UI imports it, never the reverse.' },
            { group: ['**/src/server/**', '**/src/storage/**', '**/src/node/**', 'node:*'], message: 'The editor model runs in the browser: no server or Node code.' },
          ],
        },
      ],
    },
  },
);
