import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, vi, type MockInstance } from 'vitest';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import { BullQueue } from '../../src/jobs/bullmq.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { REDIS_URL, requireRedis, uniquePrefix } from '../jobs/queue-fixtures.js';
import { tempDir } from '../server/helpers.js';
import { connectTestDatabase, TEST_DATABASE_URL } from '../storage/postgres-fixture.js';
import { freePort } from '../../src/cli/batch/embedded.js';

/**
 * An API node and a worker node (the real roles, in this process) sharing PostgreSQL (a fresh schema), Redis (a
 * fresh prefix) and one data directory for blobs. The worker has no API listener: its figures are scraped from
 * ADSMITH_METRICS_PORT, and its scene log lines carry the id of the request the API node accepted.
 */
const schema = `mw_${randomBytes(5).toString('hex')}`;
const prefix = uniquePrefix('mw');
const TOKEN = 'test-token-metrics-worker-0001';
const SCRAPE_TOKEN = 'scrape-token-metrics-worker-01';
let admin: pg.Pool;
let dataDir = '';
let api: Awaited<ReturnType<typeof buildApp>>;
let worker: Awaited<ReturnType<typeof buildApp>>;
let metricsPort = 0;
let stderr: MockInstance;


const env = (role: 'api' | 'worker', extra: Record<string, string> = {}) => ({
  NODE_ENV: 'test',
  ADSMITH_ROLE: role,
  ADSMITH_DATABASE_URL: TEST_DATABASE_URL,
  ADSMITH_DATABASE_SCHEMA: schema,
  ADSMITH_REDIS_URL: REDIS_URL,
  ADSMITH_QUEUE_PREFIX: prefix,
  ADSMITH_PRELOAD_MODELS: '0',
  ...extra,
});

beforeAll(async () => {
  await requireRedis();
  admin = await connectTestDatabase();
  dataDir = tempDir();
  metricsPort = await freePort();
  // The worker's structured log lines (console.error): read them, keep the test output clean.
  stderr = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  const common = { dataDir, publicUrl: 'http://ads.test', host: '127.0.0.1', workers: 1 };
  api = await buildApp(loadConfig(env('api'), { ...common, logger: false }));
  await api.app.ready();
  await ensureDefaultOrg(api.ctx.store, TOKEN);
  worker = await buildApp(loadConfig(env('worker', { ADSMITH_METRICS_TOKEN: SCRAPE_TOKEN, ADSMITH_METRICS_PORT: String(metricsPort) }), { ...common, logger: true }));
  await worker.app.ready();
}, 120_000);

afterAll(async () => {
  await worker?.app.close();
  await api?.app.close();
  stderr?.mockRestore();
  await BullQueue.obliterate({ redisUrl: REDIS_URL, prefix }).catch(() => undefined);
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('a worker node: metrics on its own port, request ids in its logs', () => {
  it('renders a job the API node accepted, counts it on ADSMITH_METRICS_PORT and logs the request id', async () => {
    const res = await api.app.inject({
      method: 'POST',
      url: '/v1/ads/generate',
      headers: { api_token: TOKEN, 'x-request-id': 'edge-5d1c.7' },
      payload: { template_id: '1061', sync: true, elements: [{ content_type: 'Heading #1', content: 'Scaled out' }] },
    });
    expect(res.statusCode).toBe(200);
    const body = res.json() as { request_id: string; result: unknown[] };
    expect(body.result).toHaveLength(8);

    const scraped = await fetch(`http://127.0.0.1:${metricsPort}/metrics`, { headers: { authorization: `Bearer ${SCRAPE_TOKEN}` } });
    expect(scraped.status).toBe(200);
    const text = await scraped.text();
    expect(text).toMatch(/^adsmith_scenes_total\{status="done"\} 8$/m);
    for (const stage of ['layout', 'paint', 'encode']) expect(text).toContain(`adsmith_render_stage_ms_count{stage="${stage}"} 8`);
    expect(text).toMatch(/^adsmith_queue_depth 0$/m);

    // Logged by the worker, which read the request id from the job's row in PostgreSQL.
    const lines = stderr.mock.calls
      .map(([line]) => (typeof line === 'string' && line.startsWith('{') ? (JSON.parse(line) as Record<string, unknown>) : null))
      .filter((l) => l?.['msg'] === 'scene outcome' && l['jobId'] === body.request_id);
    expect(lines).toHaveLength(8);
    for (const line of lines) expect(line?.['requestId']).toBe('edge-5d1c.7');
  }, 120_000);
});
