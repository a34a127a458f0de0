import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { FsBlobStore } from '../../src/blob/fs.js';
import { WorkerPool } from '../../src/jobs/pool.js';
import { connectRedis } from '../../src/jobs/redis-client.js';
import { SqliteStore } from '../../src/storage/sqlite.js';
import type { JobRecord, MetadataStore, NewJob, PlanName } from '../../src/storage/types.js';
import { FAKE_WORKER, fixtureTemplate } from '../server/helpers.js';

/** Redis of the queue and event-bus tests (each test takes its own key prefix and removes it). */
export const REDIS_URL = process.env['ADSMITH_TEST_REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** Fails (with how to start Redis) when the test Redis does not answer; these tests are never skipped. */
export async function requireRedis(): Promise<void> {
  try {
    const probe = await connectRedis(REDIS_URL, { name: 'adsmith-test-probe', timeoutMs: 3000 });
    await probe.quit();
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)} (These tests use ${REDIS_URL}; ADSMITH_TEST_REDIS_URL points them elsewhere; .ci/run starts Redis.)`);
  }
}

export function uniquePrefix(what: string): string {
  return `adsmith-test-${what}-${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

/** A SQLite store and an fs blob store in a fresh temp directory. */
export async function openStores(): Promise<{ dir: string; store: SqliteStore; blob: FsBlobStore; close(): Promise<void> }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-queue-'));
  const store = new SqliteStore(path.join(dir, 'adsmith.sqlite'));
  await store.migrate();
  const blob = new FsBlobStore(path.join(dir, 'blobs'));
  return {
    dir,
    store,
    blob,
    close: async () => {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A pool of the stand-in render worker (test/server/fixtures/fake-worker.ts: contents steer it, e.g. "__sleep:200", "__crash__"). */
export function fakePool(threads: number, blob: FsBlobStore): WorkerPool {
  return new WorkerPool(FAKE_WORKER, threads, { allowPrivateUrls: false, publicUrl: 'http://adsmith.invalid', blob: blob.describe() });
}

export async function addOrg(store: MetadataStore, id: string, plan: PlanName = 'free'): Promise<void> {
  await store.createOrg({ id, name: id, plan, webhookSecret: 'whsec_dGVzdA==' });
}

let jobSeq = 0;

/** Accepts a job of `scenes` scenes whose element carries `content` (the stand-in worker's instruction; several: one element each). */
export async function addJob(store: MetadataStore, orgId: string, scenes: number, content: string | string[]): Promise<JobRecord> {
  const id = `job_${process.pid}_${++jobSeq}_${Math.random().toString(36).slice(2, 8)}`;
  const template = fixtureTemplate('1061', false, scenes);
  const job: NewJob = {
    id,
    orgId,
    request: { template_id: '1061', elements: (Array.isArray(content) ? content : [content]).map((c) => ({ content_type: 'Body #1', content: c })) },
    template,
    brand: null,
    templateRef: { kind: 'public', id: '1061', version: 1 },
    brandRef: null,
    output: { format: 'png', scale: 1 },
    webhookUrl: null,
    idempotencyKey: null,
    requestHash: null,
    scenes: Array.from({ length: scenes }, (_, i) => ({ index: i, token: `${id}_t${i}`, key: `s${i}`, name: `Scene ${i + 1}`, width: 100, height: 50, format: 'png' })),
  };
  const res = await store.createJob(job, null);
  if (!res.job) throw new Error('job not created');
  return res.job;
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Polls until `check` answers a value (not null/false), or fails naming `what`. */
export async function until<T>(what: string, check: () => Promise<T | null | false> | T | null | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v !== null && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}
