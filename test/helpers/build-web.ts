import { build } from 'vite';

/**
 * Vitest global setup: build the front end from the current sources before any
 * test serves it, so browser tests never run against a stale dist/web.
 */
export default async function buildWeb(): Promise<void> {
  await build({ configFile: new URL('../../web/vite.config.ts', import.meta.url).pathname, logLevel: 'error' });
}
