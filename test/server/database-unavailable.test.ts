import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { connectTestDatabase, TEST_DATABASE_URL } from '../storage/postgres-fixture.js';
import { FAKE_WORKER, fixtureEngine, tempDir } from './helpers.js';

/**
 * The API on PostgreSQL when the database goes away mid-run: requests answer 503 with Retry-After and a message
 * naming the database (no hang, no 500), and the API recovers when it returns. The database "goes away" for
 * this server only: it reaches PostgreSQL through a loopback proxy the test cuts and restores.
 */
const schema = `t503_${randomBytes(5).toString('hex')}`;
const token = 'test-token-database-down-0001';
let admin: pg.Pool;
let proxy: TcpProxy;
let dataDir: string;
let built: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  admin = await connectTestDatabase();
  const target = new URL(TEST_DATABASE_URL);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  target.host = `127.0.0.1:${proxy.port}`;
  dataDir = tempDir();
  const config = loadConfig(
    { NODE_ENV: 'test', ADSMITH_DATABASE_URL: target.toString(), ADSMITH_DATABASE_SCHEMA: schema },
    { dataDir, publicUrl: 'http://ads.test', workers: 0, logger: false },
  );
  built = await buildApp(config, { engine: fixtureEngine, workerScript: FAKE_WORKER });
  await built.app.ready();
  await ensureDefaultOrg(built.ctx.store, token);
}, 60_000);

afterAll(async () => {
  await proxy?.restore().catch(() => undefined);
  await built?.app.close();
  await proxy?.close();
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const get = (url: string) => built.app.inject({ method: 'GET', url, headers: { api_token: token } });

describe('PostgreSQL unavailable', () => {
  it('answers 503 with Retry-After while the database is away, and recovers when it returns', async () => {
    expect((await get('/v1/ads/templates')).statusCode).toBe(200);
    const gen = await built.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: token }, payload: { template_id: '1061' } });
    expect(gen.statusCode).toBe(200);
    const jobUrl = `/v1/jobs/${gen.json().request_id}`;

    await proxy.cut();
    for (const [method, url] of [['GET', '/v1/ads/templates'], ['GET', jobUrl], ['POST', '/v1/ads/generate']] as const) {
      const started = Date.now();
      const res = await built.app.inject({ method, url, headers: { api_token: token }, ...(method === 'POST' ? { payload: { template_id: '1061' } } : {}) });
      expect(Date.now() - started).toBeLessThan(6000);
      expect(res.statusCode, `${method} ${url}: ${res.body}`).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      const body = res.json() as { error: { code: string; message: string } };
      expect(body.error.code).toBe('ADS_SERVER_BUSY');
      expect(body.error.message).toMatch(/metadata database \(PostgreSQL\)/);
      // Nothing about where the database is or how the driver failed.
      expect(res.body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED|at .*\.ts/);
    }

    await proxy.restore();
    const deadline = Date.now() + 10_000;
    let res = await get('/v1/ads/templates');
    while (res.statusCode !== 200 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      res = await get('/v1/ads/templates');
    }
    expect(res.statusCode).toBe(200);
    expect((await get(jobUrl)).statusCode).toBe(200);
  }, 60_000);
});
