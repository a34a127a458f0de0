import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { BullQueue } from '../../src/jobs/bullmq.js';
import { MemoryEventBus } from '../../src/jobs/events.js';
import type { JobRecord } from '../../src/storage/types.js';
import { stopServerChild } from '../helpers/server-process.js';
import { addJob, addOrg, fakePool, openStores, REDIS_URL, requireRedis, uniquePrefix, until } from './queue-fixtures.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const LOCK_MS = 1000;

function startWorkerProcess(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/jobs/fixtures/bull-worker.ts'], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker process did not start:\n${out}`)), 30_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('BULL_WORKER_READY')) {
        clearTimeout(timer);
        resolve(child);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`worker process exited ${code}:\n${out}`));
    });
  });
}

describe('BullMQ: a worker killed mid-scene', () => {
  const cleanup: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const c of cleanup.reverse()) await c();
    cleanup.length = 0;
  });

  it('kill -9 of the worker rendering a scene: BullMQ hands it to another worker, which records it once; the job is final once', async () => {
    await requireRedis();
    const stores = await openStores();
    const prefix = uniquePrefix('stalled');
    cleanup.push(() => stores.close());
    cleanup.push(() => BullQueue.obliterate({ redisUrl: REDIS_URL, prefix }));
    const common = { store: stores.store, blob: stores.blob, events: new MemoryEventBus(), redisUrl: REDIS_URL, prefix, lockDurationMs: LOCK_MS, stalledIntervalMs: LOCK_MS / 2 };
    const api = new BullQueue({ ...common, pool: null });
    await api.start();
    cleanup.push(() => api.stop());

    const child = await startWorkerProcess({ ADSMITH_TEST_DIR: stores.dir, ADSMITH_TEST_REDIS_URL: REDIS_URL, ADSMITH_TEST_PREFIX: prefix, ADSMITH_TEST_LOCK_MS: String(LOCK_MS) });
    cleanup.push(() => stopServerChild(child));
    await addOrg(stores.store, 'org_a');
    const job = await addJob(stores.store, 'org_a', 2, '__sleep:1500');
    api.notify(job.id);
    // The other process has claimed both scenes (its one thread renders one; BullMQ gave it the other too, or soon will).
    await until('the worker process to render a scene', async () => (await stores.store.getScenes(job.id)).some((s) => s.status === 'rendering'));
    await stopServerChild(child, 'SIGKILL');
    const atKill = await stores.store.getScenes(job.id);
    expect(atKill.some((s) => s.status === 'rendering' && s.attempts === 1)).toBe(true);

    const finals: JobRecord[] = [];
    const started: number[] = [];
    const events = new MemoryEventBus();
    events.subscribe(job.id, (e) => e.type === 'scene' && e.status === 'rendering' && e.index !== undefined && started.push(e.index));
    const survivor = new BullQueue({ ...common, events, pool: fakePool(1, stores.blob) });
    survivor.onFinal((j) => finals.push(j));
    await survivor.start();
    cleanup.push(() => survivor.stop());

    const done = await until('the job to complete on the surviving worker', async () => {
      const j = await stores.store.getJob(job.id);
      return j && j.status !== 'IN_PROGRESS' ? j : null;
    }, 20_000);
    expect(done.status).toBe('COMPLETED');
    await new Promise((r) => setTimeout(r, 500));
    expect(finals.map((j) => j.id)).toEqual([job.id]);
    const scenes = await stores.store.getScenes(job.id);
    for (const s of scenes) expect(s.status).toBe('done');
    // The killed worker's scene was claimed again: a second attempt, counted by the store.
    const retaken = atKill.filter((s) => s.status === 'rendering').map((s) => s.index);
    for (const i of retaken) expect(scenes[i]?.attempts).toBe(2);
    expect(started.sort()).toEqual([0, 1]);
  }, 60_000);
});
