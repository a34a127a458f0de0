import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Builds web/ into dist/web first: the server serves it and browser tests drive it.
    globalSetup: ['test/helpers/build-web.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Rendering tests are CPU-bound; two cores on CI.
    pool: 'forks',
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // @inferencesh/sdk ships ESM with extensionless relative imports, which Node cannot load as is: let Vite resolve it.
    server: { deps: { inline: ['@inferencesh/sdk'] } },
  },
});
