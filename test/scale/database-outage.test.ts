import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerChild } from '../helpers/server-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { TEST_DATABASE_URL } from '../storage/postgres-fixture.js';
import { sleep, startCluster, type Cluster } from './cluster.js';

/**
 * PostgreSQL stops while an API process and a worker process run on it: the API answers 503 with Retry-After
 * (not a hang, not a 500) and serves again when the database is back; a job accepted before the outage
 * completes. Both processes reach PostgreSQL through a loopback proxy the test cuts and restores, so the
 * machine's PostgreSQL keeps running for everyone else.
 */
let cluster: Cluster;
let proxy: TcpProxy;

beforeAll(async () => {
  const target = new URL(TEST_DATABASE_URL);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  target.host = `127.0.0.1:${proxy.port}`;
  cluster = await startCluster({ name: 'po', databaseUrl: target.toString() });
  await cluster.startNode('api');
  await cluster.startNode('worker');
}, 240_000);

afterAll(async () => {
  await proxy?.restore().catch(() => undefined);
  await cluster?.close();
  await proxy?.close();
}, 120_000);

describe('PostgreSQL stopped under running processes', () => {
  it('the API answers 503 with Retry-After, recovers, and the jobs open during the outage complete', async () => {
    const api = (cluster.nodes[0] as ServerChild).base;
    const { admin, schema, token } = cluster;
    const headers = { api_token: token, 'content-type': 'application/json' };
    const ids: string[] = [];
    for (let i = 0; i < 10; i++) {
      const gen = await fetch(`${api}/v1/ads/generate`, { method: 'POST', headers, body: JSON.stringify({ template_id: '1062', brand_id: '167' }) });
      expect(gen.status).toBe(200);
      ids.push(((await gen.json()) as { request_id: string }).request_id);
    }
    const jobId = ids[0] as string;
    const openJobs = async () => Number((await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.jobs WHERE id = ANY($1) AND status = 'IN_PROGRESS'`, [ids])).rows[0]?.n);

    await proxy.cut();
    // The test's own pool reaches PostgreSQL directly: the worker is cut off with scenes still to render.
    expect(await openJobs(), 'the outage should begin while jobs are open').toBeGreaterThan(0);
    for (const [method, path] of [['GET', '/v1/ads/templates'], ['GET', `/v1/jobs/${jobId}`], ['POST', '/v1/ads/generate']] as const) {
      const started = Date.now();
      const res = await fetch(`${api}${path}`, { method, headers, ...(method === 'POST' ? { body: JSON.stringify({ template_id: '1062', brand_id: '167' }) } : {}), signal: AbortSignal.timeout(20_000) });
      const body = await res.text();
      expect(res.status, `${method} ${path}: ${body}`).toBe(503);
      expect(Date.now() - started).toBeLessThan(8000);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(body).toContain('ADS_SERVER_BUSY');
      expect(body).toMatch(/metadata database \(PostgreSQL\)/);
      expect(body).not.toMatch(/127\.0\.0\.1|ECONNREFUSED/);
    }
    await sleep(1500);
    await proxy.restore();

    let status = 0;
    const deadline = Date.now() + 30_000;
    while (status !== 200 && Date.now() < deadline) {
      status = (await fetch(`${api}/v1/ads/templates`, { headers })).status;
      if (status !== 200) await sleep(200);
    }
    expect(status).toBe(200);
    const done = Date.now() + 150_000;
    while ((await openJobs()) > 0 && Date.now() < done) await sleep(500);
    const { rows } = await admin.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM ${schema}.jobs WHERE id = ANY($1) GROUP BY status`, [ids]);
    expect(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))).toEqual({ COMPLETED: 10 });
  }, 240_000);
});
