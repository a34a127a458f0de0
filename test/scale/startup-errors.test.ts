import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../server/helpers.js';

/**
 * `adsmith serve` refusing to start: a role without the services it needs, and each shared service missing or
 * unreachable, is one line on stderr naming it and a non-zero exit, no stack trace and no secret.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const SECRET = 'hunter2-very-secret';

function serve(role: string, env: Record<string, string>): Promise<{ code: number | null; stderr: string; ms: number }> {
  const dataDir = tempDir();
  const started = Date.now();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'serve', '--role', role, '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', ADSMITH_DATA_DIR: dataDir, ADSMITH_LOG: '0', NODE_ENV: 'test', ADSMITH_WORKERS: '1', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => (stderr += d.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      fs.rmSync(dataDir, { recursive: true, force: true });
      resolve({ code, stderr, ms: Date.now() - started });
    });
  });
}

const noStack = (text: string) => expect(text).not.toMatch(/\n\s+at .+:\d+:\d+/);

describe('adsmith serve: start-up errors', () => {
  it('a worker without PostgreSQL and Redis says which it needs (exit 2)', async () => {
    const r = await serve('worker', {});
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^adsmith: --role worker runs rendering without the API, so it must share the metadata and the queue with the other nodes: set ADSMITH_DATABASE_URL \(PostgreSQL\) and ADSMITH_REDIS_URL \(Redis\)/);
    noStack(r.stderr);
  }, 90_000);

  it('an unreachable PostgreSQL is named (exit 1), without its password', async () => {
    const r = await serve('all', { ADSMITH_DATABASE_URL: `postgres://adsmith:${SECRET}@127.0.0.1:1/ads` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^adsmith: could not start: PostgreSQL at 127\.0\.0\.1:1\/ads is unavailable/m);
    expect(r.stderr).not.toContain(SECRET);
    noStack(r.stderr);
  }, 90_000);

  it('an unreachable Redis is named (exit 1)', async () => {
    const r = await serve('all', { ADSMITH_REDIS_URL: `redis://:${SECRET}@127.0.0.1:1` });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^adsmith: could not start: Redis is not reachable at 127\.0\.0\.1:1/m);
    expect(r.stderr).not.toContain(SECRET);
    noStack(r.stderr);
  }, 90_000);

  it('an unreachable S3 endpoint is named (exit 1), without the secret key', async () => {
    const r = await serve('all', { ADSMITH_S3_ENDPOINT: 'http://127.0.0.1:1', ADSMITH_S3_BUCKET: 'ads', ADSMITH_S3_ACCESS_KEY_ID: 'AK', ADSMITH_S3_SECRET_ACCESS_KEY: SECRET });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^adsmith: could not start: S3 .*bucket "ads" at http:\/\/127\.0\.0\.1:1/m);
    expect(r.stderr).not.toContain(SECRET);
    noStack(r.stderr);
  }, 90_000);

  it('a bad variable is named (exit 2)', async () => {
    const r = await serve('all', { ADSMITH_S3_BUCKET: 'ads', ADSMITH_S3_SECRET_ACCESS_KEY: SECRET });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^adsmith: ADSMITH_S3_ACCESS_KEY_ID and ADSMITH_S3_SECRET_ACCESS_KEY go together/);
    expect(r.stderr).not.toContain(SECRET);
  }, 90_000);
});
