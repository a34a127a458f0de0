import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createOrg, ensureDefaultOrg } from '../../src/admin/index.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig, type ServerConfig } from '../../src/server/config.js';
import { freePort } from '../../src/cli/batch/embedded.js';

export { freePort };

export const TOKEN = 'client-test-token-0123456789abcdef';

/**
 * The real Adsmith server (real engine, SQLite, fs blobs, render worker threads)
 * listening on 127.0.0.1, as a user runs it; only the data dir is temporary.
 */
export async function startServer(overrides: Partial<ServerConfig> = {}) {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-client-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = loadConfig(
    { NODE_ENV: 'test' },
    { dataDir, port, host: '127.0.0.1', publicUrl: url, workers: 1, logger: false, allowPrivateUrls: true, webhookBackoff: [0.05, 0.05], ...overrides },
  );
  const { app, ctx } = await buildApp(config, { webhookPollMs: 50 });
  await app.listen({ port, host: '127.0.0.1' });
  await ensureDefaultOrg(ctx.store, TOKEN);
  return {
    url,
    token: TOKEN,
    app,
    ctx,
    dataDir,
    newOrg: (plan = 'free', name = 'other') => createOrg(ctx.store, { name, plan }),
    close: async () => {
      await app.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export type TestServer = Awaited<ReturnType<typeof startServer>>;

/** A loopback HTTP receiver (webhooks): records each request's headers and raw body. */
export function receiver() {
  const calls: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  return new Promise<{ url: string; calls: typeof calls; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}/hook`, calls, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

/** Bundled photos: real image inputs. */
export const PRODUCT_PNG = fileURLToPath(new URL('../../src/assets/images/product.png', import.meta.url));
export const LIFESTYLE_JPG = fileURLToPath(new URL('../../src/assets/images/lifestyle.jpg', import.meta.url));
