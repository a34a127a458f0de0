import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerChild } from '../helpers/server-process.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { REDIS_URL, requireRedis } from '../jobs/queue-fixtures.js';
import { sleep, startCluster, type Cluster } from './cluster.js';

/**
 * Redis goes away during a burst of 50 generate requests and comes back: every accepted job completes. The
 * nodes (one API, two workers, real processes on PostgreSQL) reach Redis through a loopback proxy the test cuts
 * (every connection reset, the port closed) and restores, so the machine's Redis keeps running for everyone
 * else. They keep their images in the cluster's S3 server (test/scale/cluster.ts).
 */
let cluster: Cluster;
let proxy: TcpProxy;

beforeAll(async () => {
  await requireRedis();
  const target = new URL(REDIS_URL);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 6379) });
  cluster = await startCluster({ name: 'rr', redisUrl: `redis://127.0.0.1:${proxy.port}` });
  await cluster.startNode('api');
  await Promise.all([cluster.startNode('worker'), cluster.startNode('worker')]);
}, 240_000);

afterAll(async () => {
  await proxy?.restore().catch(() => undefined);
  await cluster?.close();
  await proxy?.close();
}, 120_000);

describe('Redis restarted during a burst', () => {
  it('every one of 50 accepted jobs completes', async () => {
    const api = cluster.nodes[0] as ServerChild;
    const { admin, schema, token } = cluster;
    const generate = async (): Promise<string> => {
      const res = await fetch(`${api.base}/v1/ads/generate`, {
        method: 'POST',
        headers: { api_token: token, 'content-type': 'application/json' },
        body: JSON.stringify({ template_id: '1062', brand_id: '167' }),
      });
      expect(res.status, await res.clone().text()).toBe(200);
      return ((await res.json()) as { request_id: string }).request_id;
    };
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push(await generate());
    // Redis goes away with jobs queued or rendering; 30 more are accepted while it is away.
    await proxy.cut();
    const busy = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.jobs WHERE id = ANY($1) AND status = 'IN_PROGRESS'`, [ids]);
    expect(Number(busy.rows[0]?.n), 'the cut should land while jobs are open').toBeGreaterThan(0);
    for (let i = 0; i < 30; i++) ids.push(await generate());
    await sleep(2000);
    await proxy.restore();

    const deadline = Date.now() + 240_000;
    let open = ids.length;
    while (open > 0 && Date.now() < deadline) {
      await sleep(500);
      const { rows } = await admin.query<{ n: string }>(`SELECT count(*) AS n FROM ${schema}.jobs WHERE id = ANY($1) AND status = 'IN_PROGRESS'`, [ids]);
      open = Number(rows[0]?.n);
    }
    const { rows } = await admin.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM ${schema}.jobs WHERE id = ANY($1) GROUP BY status`, [ids]);
    expect(Object.fromEntries(rows.map((r) => [r.status, Number(r.n)]))).toEqual({ COMPLETED: 50 });
    const scenes = await admin.query<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM ${schema}.scenes WHERE job_id = ANY($1) GROUP BY status`, [ids]);
    expect(Object.fromEntries(scenes.rows.map((r) => [r.status, Number(r.n)]))).toEqual({ done: 400 });
  }, 300_000);
});
