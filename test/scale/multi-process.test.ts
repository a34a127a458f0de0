import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BullQueue } from '../../src/jobs/bullmq.js';
import { startLocalS3, type LocalS3 } from '../blob/local-s3.js';
import { startServerChild, stopServerChild, type ServerChild } from '../helpers/server-process.js';
import { REDIS_URL, requireRedis, uniquePrefix } from '../jobs/queue-fixtures.js';
import { startReceiver } from '../server/receiver.js';
import { tempDir } from '../server/helpers.js';
import { connectTestDatabase, TEST_DATABASE_URL } from '../storage/postgres-fixture.js';

/**
 * A scaled-out deployment as real processes: one API node (`adsmith serve --role api`) and two worker nodes
 * (`--role worker`, one render thread each) sharing PostgreSQL (a fresh schema), Redis (a fresh key prefix) and
 * an S3 server (s3rver, a fresh bucket). Nothing is shared through the file system: each process has its own
 * data directory.
 */
const schema = `mp_${randomBytes(5).toString('hex')}`;
const prefix = uniquePrefix('mp');
const token = 'test-token-multi-process-0001';
let admin: pg.Pool;
let s3: LocalS3;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const dirs: string[] = [];
const nodes: ServerChild[] = [];
let api: ServerChild;

function sharedEnv(): Record<string, string> {
  const creds = s3.descriptor();
  return {
    NODE_ENV: 'test',
    ADSMITH_DATABASE_URL: TEST_DATABASE_URL,
    ADSMITH_DATABASE_SCHEMA: schema,
    ADSMITH_REDIS_URL: REDIS_URL,
    ADSMITH_QUEUE_PREFIX: prefix,
    ADSMITH_S3_ENDPOINT: s3.endpoint,
    ADSMITH_S3_BUCKET: s3.bucket,
    ADSMITH_S3_ACCESS_KEY_ID: creds.accessKeyId as string,
    ADSMITH_S3_SECRET_ACCESS_KEY: creds.secretAccessKey as string,
    ADSMITH_API_TOKEN: token,
    ADSMITH_ALLOW_PRIVATE_URLS: '1',
    ADSMITH_PRELOAD_MODELS: '0',
    ADSMITH_WORKERS: '1',
  };
}

async function startNode(role: 'api' | 'worker'): Promise<ServerChild> {
  const dataDir = tempDir();
  dirs.push(dataDir);
  const node = await startServerChild({ dataDir, args: ['src/cli/main.ts', 'serve', '--role', role], env: sharedEnv(), timeoutMs: 90_000 });
  nodes.push(node);
  return node;
}

beforeAll(async () => {
  await requireRedis();
  admin = await connectTestDatabase();
  s3 = await startLocalS3();
  receiver = await startReceiver(204);
  api = await startNode('api');
  await Promise.all([startNode('worker'), startNode('worker')]);
}, 240_000);

afterAll(async () => {
  // SIGTERM: each node stops gracefully and exits 0.
  const exits = await Promise.all(
    nodes.map(async (n) => {
      if (n.child.exitCode !== null || n.child.signalCode !== null) return n.child.exitCode;
      const exited = new Promise<number | null>((r) => n.child.once('exit', (code) => r(code)));
      n.child.kill('SIGTERM');
      return Promise.race([exited, new Promise<number | null>((r) => setTimeout(() => r(-1), 40_000))]);
    }),
  );
  for (const n of nodes) await stopServerChild(n.child);
  await BullQueue.obliterate({ redisUrl: REDIS_URL, prefix }).catch(() => undefined);
  await admin?.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await admin?.end();
  receiver?.close();
  await s3?.close();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
  expect(exits.every((code) => code === 0), `exit codes after SIGTERM: ${exits.join(', ')}`).toBe(true);
}, 120_000);

interface SseEvent {
  event: string;
  data: { status: string; result?: Array<{ url?: string }> };
}

/** Reads a job's SSE stream from the API node to its end. */
async function readEvents(jobId: string, timeoutMs: number): Promise<SseEvent[]> {
  const res = await fetch(`${api.base}/v1/jobs/${jobId}/events`, { headers: { api_token: token }, signal: AbortSignal.timeout(timeoutMs) });
  expect(res.status).toBe(200);
  const text = await res.text();
  return text
    .split('\n\n')
    .filter((block) => block.startsWith('event:'))
    .map((block) => ({ event: /^event: (\w+)/.exec(block)?.[1] ?? '', data: JSON.parse(block.split('data: ')[1] ?? '{}') as SseEvent['data'] }));
}

describe('one API node and two worker nodes on PostgreSQL, Redis and S3', () => {
  it('a 1062 generate completes, SSE progress reaches the client through the API node, the webhook arrives once', async () => {
    const gen = await fetch(`${api.base}/v1/ads/generate`, {
      method: 'POST',
      headers: { api_token: token, 'content-type': 'application/json' },
      body: JSON.stringify({ template_id: '1062', brand_id: '167', webhook_url: receiver.url('/hook') }),
    });
    expect(gen.status, await gen.clone().text()).toBe(200);
    const jobId = ((await gen.json()) as { request_id: string }).request_id;

    const events = await readEvents(jobId, 120_000);
    // The stream began before the job was final and ended on an event a worker published through Redis:
    // the API node renders nothing and its stream is only woken by events.
    expect(events[0]?.event).toBe('progress');
    const last = events[events.length - 1] as SseEvent;
    expect(last.event).toBe('done');
    expect(last.data.status).toBe('COMPLETED');
    const urls = (last.data.result ?? []).map((r) => r.url as string);
    expect(urls.length).toBe(8);
    for (const url of urls) {
      const got = await fetch(`${api.base}${new URL(url).pathname}`);
      expect(got.status).toBe(200);
      expect(got.headers.get('content-type')).toBe('image/png');
      expect((await got.arrayBuffer()).byteLength).toBeGreaterThan(1000);
    }
    // The results are in the bucket, not in any node's data directory.
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `results/${jobId}/` }));
    expect(listed.KeyCount).toBe(8);

    // The webhook: delivered once (two more polling rounds of the API node's dispatcher bring no second one).
    const deadline = Date.now() + 15_000;
    while (receiver.received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 2500));
    const hooks = receiver.received.filter((r) => JSON.parse(r.body).request_id === jobId || JSON.stringify(JSON.parse(r.body)).includes(jobId));
    expect(hooks).toHaveLength(1);
    const { rows } = await admin.query(`SELECT status, attempts FROM ${schema}.webhook_deliveries WHERE job_id = $1`, [jobId]);
    expect(rows).toEqual([{ status: 'delivered', attempts: 1 }]);
  }, 180_000);
});
