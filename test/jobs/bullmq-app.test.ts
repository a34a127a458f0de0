import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/blob/fs.js';
import { BullQueue } from '../../src/jobs/bullmq.js';
import { RedisEventBus } from '../../src/jobs/redis-events.js';
import type { JobEvent } from '../../src/jobs/types.js';
import { SqliteStore } from '../../src/storage/sqlite.js';
import { startApp } from '../server/helpers.js';
import { fakePool, REDIS_URL, requireRedis, uniquePrefix } from './queue-fixtures.js';

/**
 * An API node (the whole server, queue producer only: no render threads) and a worker node (a BullQueue with
 * render threads), each with its own connections to the shared SQLite file, blob directory and Redis, as two
 * processes would have. Scenes are rendered only on the worker; the API node answers for them.
 */
const prefix = uniquePrefix('app');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-bullmq-app-'));
const blobRoot = path.join(dir, 'blobs');
let api: Awaited<ReturnType<typeof startApp>>;
let apiBus: RedisEventBus;
let workerBus: RedisEventBus;
let worker: BullQueue;
let workerStore: SqliteStore;

beforeAll(async () => {
  await requireRedis();
  apiBus = await RedisEventBus.connect(REDIS_URL, prefix);
  workerBus = await RedisEventBus.connect(REDIS_URL, prefix);
  const apiStore = new SqliteStore(path.join(dir, 'adsmith.sqlite'));
  api = await startApp(
    { workers: 0 },
    { store: apiStore, blob: new FsBlobStore(blobRoot), events: apiBus, queue: (parts) => new BullQueue({ ...parts, redisUrl: REDIS_URL, prefix }) },
  );
  workerStore = new SqliteStore(path.join(dir, 'adsmith.sqlite'));
  await workerStore.migrate();
  const blob = new FsBlobStore(blobRoot);
  worker = new BullQueue({ store: workerStore, blob, events: workerBus, pool: fakePool(1, blob), redisUrl: REDIS_URL, prefix });
  await worker.start();
}, 60_000);

afterAll(async () => {
  await api?.close();
  await worker?.stop();
  await BullQueue.obliterate({ redisUrl: REDIS_URL, prefix }).catch(() => undefined);
  await apiBus?.close();
  await workerBus?.close();
  await workerStore?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const gen = (body: object) => api.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: api.token }, payload: body });
const pathOf = (url: string) => new URL(url).pathname;

describe('BullMQ: an API node and a worker node', () => {
  it("the API node's bus hears every scene rendered on the worker node, and the job's final event once", async () => {
    const res = await gen({ template_id: '1061', elements: [{ content_type: 'Body #1', content: '__sleep:200' }] });
    expect(res.statusCode).toBe(200);
    const id = res.json().request_id as string;
    const heard: JobEvent[] = [];
    api.ctx.events.subscribe(id, (e) => heard.push(e));
    const deadline = Date.now() + 15_000;
    while (!heard.some((e) => e.type === 'final') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 300));
    expect(heard.filter((e) => e.type === 'scene' && e.status === 'done').map((e) => e.index).sort()).toEqual([0, 1]);
    expect(heard.filter((e) => e.type === 'final')).toHaveLength(1);
  });

  it('sync: true answers COMPLETED, and the results rendered on the worker are served by the API node', async () => {
    const res = await gen({ template_id: '1061', sync: true, elements: [{ content_type: 'Body #1', content: '__sleep:100' }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('COMPLETED');
    for (const r of res.json().result) {
      const got = await api.app.inject(pathOf(r.url));
      expect(got.statusCode).toBe(200);
      expect(got.headers['content-type']).toBe('image/png');
    }
  });

  it('SSE progress through the API node ends with done', async () => {
    const res = await gen({ template_id: '1062', brand_id: '167', elements: [{ content_type: 'Body #1', content: '__sleep:100' }] });
    const sse = await api.app.inject({ url: `/v1/jobs/${res.json().request_id}/events`, headers: { api_token: api.token } });
    const events = sse.body.split('\n\n').filter((e) => e.startsWith('event:'));
    expect(events.length).toBeGreaterThanOrEqual(2);
    const last = events[events.length - 1] as string;
    expect(last).toMatch(/^event: done/);
    expect(JSON.parse(last.split('data: ')[1] as string).status).toBe('COMPLETED');
  });
});
