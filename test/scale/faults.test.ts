import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ServerChild } from '../helpers/server-process.js';
import { startPrivateRedis, type PrivateRedis } from '../helpers/redis-server.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { postGenerate, startCluster, waitForJobs, type Cluster } from './cluster.js';

/**
 * Faults of the shared services under a running scaled-out deployment (real processes: see cluster.ts). Each case
 * has its own schema, key prefix and bucket. Covered elsewhere: kill -9 of a worker (multi-process.test.ts) and
 * PostgreSQL going away (503 with Retry-After, the TCP-proxy test of the server's store).
 */

describe('Redis restarted (no persistence) during a burst of 50 jobs', () => {
  let redis: PrivateRedis;
  let cluster: Cluster;
  let api: ServerChild;

  beforeAll(async () => {
    // A Redis of this test's own: the machine's is shared with other tests and is never restarted.
    redis = await startPrivateRedis();
    cluster = await startCluster({ name: 'fault_redis', redisUrl: redis.url });
    api = await cluster.startNode('api');
    await Promise.all([cluster.startNode('worker'), cluster.startNode('worker')]);
  }, 240_000);

  afterAll(async () => {
    const exits = await cluster?.close();
    await redis?.close();
    expect(exits?.every((code) => code === 0), `exit codes after SIGTERM: ${exits?.join(', ')}`).toBe(true);
  }, 120_000);

  it('every accepted job completes, each scene once', async () => {
    const accepted: string[] = [];
    const refused: string[] = [];
    let openAtKill = -1; // pending scenes in the store when Redis was killed
    const post = async () => {
      try {
        accepted.push(await postGenerate(api, cluster.token));
      } catch (err) {
        refused.push(String(err));
      }
    };
    // 50 requests, 5 at a time; Redis is killed after the 25th answer and started again (empty) 2 s later.
    for (let i = 0; i < 50; i += 5) {
      await Promise.all(Array.from({ length: 5 }, post));
      if (i + 5 === 25) {
        const { rows } = await cluster.admin.query<{ n: string }>(`SELECT COUNT(*) AS n FROM ${cluster.schema}.scenes WHERE status = 'pending'`);
        openAtKill = Number(rows[0]?.n);
        await redis.kill();
        setTimeout(() => void redis.start(), 2000);
      }
    }
    // Scenes were still queued when Redis forgot them (more than the two workers could hold): the restart lost
    // work that only the store still knew of, and that had to be enqueued again from it.
    expect(openAtKill).toBeGreaterThan(2);
    // Requests accepted while Redis was down are fine too (their enqueue waits for the reconnection); none may be lost.
    expect(accepted.length, `refused: ${refused.join('\n')}`).toBeGreaterThanOrEqual(25);

    console.log(`Redis restart: ${accepted.length} of 50 accepted, ${openAtKill} scenes pending when Redis was killed`);
    const statuses = await waitForJobs(cluster, accepted, 240_000);
    expect([...statuses.values()].filter((s) => s !== 'COMPLETED'), 'jobs not COMPLETED').toEqual([]);
    expect(statuses.size).toBe(accepted.length);
    // No job the store accepted is left out (a request whose answer was lost counts too).
    const { rows: all } = await cluster.admin.query<{ status: string; n: string }>(`SELECT status, COUNT(*) AS n FROM ${cluster.schema}.jobs GROUP BY status`);
    expect(all).toEqual([{ status: 'COMPLETED', n: String(accepted.length) }]);
    const { rows: scenes } = await cluster.admin.query<{ status: string; n: string }>(`SELECT status, COUNT(*) AS n FROM ${cluster.schema}.scenes GROUP BY status`);
    expect(scenes).toEqual([{ status: 'done', n: String(accepted.length * 8) }]);
    // One object per scene in the bucket: nothing rendered twice under another key, nothing missing.
    let objects = 0;
    let continuation: string | undefined;
    do {
      const page = await cluster.s3.client.send(new ListObjectsV2Command({ Bucket: cluster.s3.bucket, Prefix: 'results/', ContinuationToken: continuation }));
      objects += page.KeyCount ?? 0;
      continuation = page.NextContinuationToken;
    } while (continuation);
    expect(objects).toBe(accepted.length * 8);
  }, 420_000);
});

describe('S3 unavailable while scenes render', () => {
  let cluster: Cluster;
  let api: ServerChild;
  let proxy: TcpProxy;

  beforeAll(async () => {
    cluster = await startCluster({ name: 'fault_s3' });
    // The nodes reach s3rver through a proxy the test can cut: S3 "goes away" for them only.
    proxy = await startTcpProxy({ host: '127.0.0.1', port: Number(new URL(cluster.s3.endpoint).port) });
    const viaProxy = { ADSMITH_S3_ENDPOINT: `http://127.0.0.1:${proxy.port}` };
    api = await cluster.startNode('api', viaProxy);
    await cluster.startNode('worker', viaProxy);
  }, 240_000);

  afterAll(async () => {
    await proxy?.restore().catch(() => undefined);
    const exits = await cluster?.close();
    await proxy?.close();
    expect(exits?.every((code) => code === 0), `exit codes after SIGTERM: ${exits?.join(', ')}`).toBe(true);
  }, 120_000);

  it('scenes are retried, then fail naming S3 and the bucket; nothing hangs; once S3 is back new jobs complete', async () => {
    await proxy.cut();
    const started = Date.now();
    const down = await postGenerate(api, cluster.token);
    const statuses = await waitForJobs(cluster, [down], 180_000);
    expect(statuses.get(down), 'the job did not become final while S3 was down').toBe('ERROR');
    const { rows } = await cluster.admin.query<{ status: string; attempts: number; error_code: string; error_message: string }>(
      `SELECT status, attempts, error_code, error_message FROM ${cluster.schema}.scenes WHERE job_id = $1 ORDER BY idx`,
      [down],
    );
    expect(rows.length).toBe(8);
    for (const r of rows) {
      // Tried the full 3 times (BullMQ's backoff between), then given up with the store's own error.
      expect(r).toMatchObject({ status: 'failed', attempts: 3, error_code: 'ADS_RESULT_NOT_STORED' });
      expect(r.error_message).toContain('S3 PutObject');
      expect(r.error_message).toContain(`bucket "${cluster.s3.bucket}"`);
      expect(r.error_message).toContain(`127.0.0.1:${proxy.port}`);
    }
    // The client sees the cause through the API node too.
    const view = await (await fetch(`${api.base}/v1/jobs/${down}`, { headers: { api_token: cluster.token } })).text();
    expect(view).toContain(`bucket \\"${cluster.s3.bucket}\\"`);
    const downMs = Date.now() - started;

    await proxy.restore();
    const up = await postGenerate(api, cluster.token);
    expect((await waitForJobs(cluster, [up], 120_000)).get(up)).toBe('COMPLETED');
    const listed = await cluster.s3.client.send(new ListObjectsV2Command({ Bucket: cluster.s3.bucket, Prefix: `results/${up}/` }));
    expect(listed.KeyCount).toBe(8);
    // Nothing of the failed job was written.
    const none = await cluster.s3.client.send(new ListObjectsV2Command({ Bucket: cluster.s3.bucket, Prefix: `results/${down}/` }));
    expect(none.KeyCount ?? 0).toBe(0);
    console.log(`S3 down: job ERROR after ${(downMs / 1000).toFixed(1)} s (8 scenes × 3 attempts); scene 0: ${rows[0]?.error_message}`);
  }, 420_000);
});
