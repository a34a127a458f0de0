import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

/** A port the OS reports free on 127.0.0.1 (the server's public URL is fixed before it listens). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = http.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The embedded server's token, kept in its data dir (mode 600) so every run of the same --out reuses one. */
async function tokenIn(dataDir: string): Promise<string> {
  const file = join(dataDir, 'cli-token');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const token = `ads_${randomBytes(32).toString('base64url')}`;
  await writeFile(file, token + '\n', { mode: 0o600 });
  return token;
}

/**
 * Sends what is written to stdout to stderr until the returned function is
 * called. stdout carries the command's result (--json); the embedded server's
 * threads and libraries may log there (model loading notices).
 */
export function stdoutToStderr(): () => void {
  const original = process.stdout.write.bind(process.stdout);
  process.stdout.write = process.stderr.write.bind(process.stderr) as typeof process.stdout.write;
  return () => {
    process.stdout.write = original;
  };
}

/**
 * `adsmith batch` without --server: the full Adsmith server (SQLite, files on
 * disk, render worker threads) in this process, on 127.0.0.1 only, with its
 * data in `dataDir` (`--out/.adsmith`). Its jobs and batches survive an
 * interruption: the next run starts it on the same data and resumes them.
 * Loaded lazily so `adsmith generate` never pulls the server in.
 */
export async function startEmbeddedServer(dataDir: string): Promise<{ url: string; token: string; close: () => Promise<void> }> {
  await mkdir(dataDir, { recursive: true });
  const [{ buildApp }, { loadConfig }, { ensureDefaultOrg }] = await Promise.all([import('../../server/app.js'), import('../../server/config.js'), import('../../admin/index.js')]);
  const token = await tokenIn(dataDir);
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // Always the embedded default in dataDir, whatever shared services the environment names for `adsmith serve`.
  const config = loadConfig(process.env, { dataDir, port, host: '127.0.0.1', publicUrl: url, logger: false, role: 'all', database: {}, redis: null, s3: null });
  const { app, ctx } = await buildApp(config);
  await ensureDefaultOrg(ctx.store, token);
  await app.listen({ port, host: '127.0.0.1' });
  return { url, token, close: () => app.close() };
}
