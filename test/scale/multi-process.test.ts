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
let workers: ServerChild[] = [];

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
  workers = await Promise.all([startNode('worker'), startNode('worker')]);
}, 240_000);

afterAll(async () => {
  // SIGTERM: each node still running stops gracefully and exits 0.
  const exits = await Promise.all(
    nodes.filter((n) => n.child.signalCode !== 'SIGKILL').map(async (n) => {
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

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function generate(): Promise<string> {
  const gen = await fetch(`${api.base}/v1/ads/generate`, {
    method: 'POST',
    headers: { api_token: token, 'content-type': 'application/json' },
    body: JSON.stringify({ template_id: '1062', brand_id: '167', webhook_url: receiver.url('/hook') }),
  });
  expect(gen.status, await gen.clone().text()).toBe(200);
  return ((await gen.json()) as { request_id: string }).request_id;
}

/** The webhooks received for one job, after two more polling rounds of the API node's dispatcher. */
async function hooksOf(jobId: string): Promise<number> {
  const count = () => receiver.received.filter((r) => r.body.includes(jobId)).length;
  const deadline = Date.now() + 15_000;
  while (count() === 0 && Date.now() < deadline) await sleep(50);
  await sleep(2500);
  return count();
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
    const jobId = await generate();

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
    expect(await hooksOf(jobId)).toBe(1);
    const { rows } = await admin.query(`SELECT status, attempts FROM ${schema}.webhook_deliveries WHERE job_id = $1`, [jobId]);
    expect(rows).toEqual([{ status: 'delivered', attempts: 1 }]);
  }, 180_000);

  it('kill -9 of a worker mid-scene: its scene is rendered again on the other worker; nothing lost, nothing twice', async () => {
    const jobId = await generate();
    const scenes = async () => (await admin.query<{ idx: number; status: string; attempts: number }>(`SELECT idx, status, attempts FROM ${schema}.scenes WHERE job_id = $1 ORDER BY idx`, [jobId])).rows;
    // Both workers rendering (the default organisation has no cap) and work left: the victim is inside a scene.
    let before: Awaited<ReturnType<typeof scenes>> = [];
    const deadline = Date.now() + 60_000;
    for (;;) {
      before = await scenes();
      if (before.filter((s) => s.status === 'rendering').length >= 2) break;
      expect(Date.now() < deadline, `two scenes never rendered at once: ${JSON.stringify(before)}`).toBe(true);
      await sleep(10);
    }
    const victim = workers[0] as ServerChild;
    await stopServerChild(victim.child, 'SIGKILL');

    // The survivor's stalled-job check hands the dead worker's scene over once its lock (30 s) ran out.
    const finalDeadline = Date.now() + 150_000;
    let status = 'IN_PROGRESS';
    while (status === 'IN_PROGRESS' && Date.now() < finalDeadline) {
      await sleep(250);
      status = (await admin.query<{ status: string }>(`SELECT status FROM ${schema}.jobs WHERE id = $1`, [jobId])).rows[0]?.status ?? 'missing';
    }
    expect(status).toBe('COMPLETED');
    const after = await scenes();
    expect(after.map((s) => s.status)).toEqual(Array(8).fill('done'));
    // The scene the victim held was claimed again (a second attempt); the others once.
    expect(after.some((s) => s.attempts >= 2), `attempts ${JSON.stringify(after)} (before the kill: ${JSON.stringify(before)})`).toBe(true);
    const listed = await s3.client.send(new ListObjectsV2Command({ Bucket: s3.bucket, Prefix: `results/${jobId}/` }));
    expect(listed.KeyCount).toBe(8);
    for (const url of (await (await fetch(`${api.base}/v1/jobs/${jobId}`, { headers: { api_token: token } })).json() as { result: Array<{ url: string }> }).result.map((r) => r.url)) {
      expect((await fetch(`${api.base}${new URL(url).pathname}`)).status).toBe(200);
    }
    expect(await hooksOf(jobId)).toBe(1);
    const { rows } = await admin.query(`SELECT status FROM ${schema}.webhook_deliveries WHERE job_id = $1`, [jobId]);
    expect(rows).toEqual([{ status: 'delivered' }]);
  }, 240_000);

  it('SIGTERM to a worker mid-scene: it records the scenes it is rendering and exits 0; a worker that joins takes the rest', async () => {
    const joined = await startNode('worker');
    const leaving = workers[1] as ServerChild;
    const jobId = await generate();
    const scenes = async () => (await admin.query<{ status: string; attempts: number }>(`SELECT status, attempts FROM ${schema}.scenes WHERE job_id = $1 ORDER BY idx`, [jobId])).rows;
    const deadline = Date.now() + 60_000;
    while ((await scenes()).filter((s) => s.status === 'rendering').length < 2) {
      expect(Date.now() < deadline, 'two scenes never rendered at once').toBe(true);
      await sleep(10);
    }
    const exited = new Promise<number | null>((r) => leaving.child.once('exit', (code) => r(code)));
    leaving.child.kill('SIGTERM');
    expect(await exited).toBe(0);

    const finalDeadline = Date.now() + 120_000;
    let after = await scenes();
    while (after.some((s) => s.status !== 'done') && Date.now() < finalDeadline) {
      await sleep(250);
      after = await scenes();
    }
    expect(after.map((s) => s.status)).toEqual(Array(8).fill('done'));
    // Nothing was taken over from a stalled worker: every scene was rendered once.
    expect(after.map((s) => s.attempts)).toEqual(Array(8).fill(1));
    expect(joined.child.exitCode).toBeNull();
    expect(await hooksOf(jobId)).toBe(1);
  }, 240_000);
});
