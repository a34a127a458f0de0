import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { publicTemplate } from '../../src/assets/index.js';
import { WorkerPool } from '../../src/jobs/pool.js';
import type { RenderReply, RenderTask } from '../../src/jobs/protocol.js';
import { loadConfig } from '../../src/server/config.js';
import { FAKE_WORKER } from '../server/helpers.js';

/**
 * The pool hands each thread a second task while it draws the first (WorkerPool.perThread). Real worker threads:
 * the stand-in renderer (test/server/fixtures/fake-worker.ts, steered by element contents) for timing and crashes,
 * and the real render worker for what it draws.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-pool-'));
const settings = { allowPrivateUrls: false, publicUrl: 'http://adsmith.invalid', blob: { kind: 'fs' as const, root: dir } };
const pools: WorkerPool[] = [];
const open = (script: URL, threads: number, perThread?: number): WorkerPool => {
  const pool = new WorkerPool(script, threads, settings, perThread ? { perThread } : {});
  pools.push(pool);
  return pool;
};
afterAll(async () => {
  for (const p of pools) await p.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

let taskIds = 0;
function task(jobId: string, contents: string[], sceneIndex = 0): RenderTask {
  return {
    taskId: ++taskIds,
    jobId,
    sceneIndex,
    template: publicTemplate('1061')!,
    brand: null,
    elements: contents.map((content) => ({ layer_type: 'text' as const, content_type: 'Heading #1', content })),
    output: { format: 'png', scale: 1 },
    smartImage: null,
    contentModeration: false,
    files: [],
  };
}

describe('WorkerPool: two tasks per thread', () => {
  it('holds two tasks per thread, runs them in the order given, and refuses a third', async () => {
    const pool = open(FAKE_WORKER, 1);
    expect([pool.capacity, pool.free, pool.idle]).toEqual([2, 2, 1]);
    const busy0 = pool.busyMs();
    const order: string[] = [];
    const first = pool.run(task('slow', ['__sleep:300'])).then((r) => (order.push('slow'), r));
    const second = pool.run(task('quick', ['__sleep:1'])).then((r) => (order.push('quick'), r));
    expect([pool.free, pool.idle]).toEqual([0, 0]);
    const third = await pool.run(task('over', []));
    expect(third).toMatchObject({ type: 'error', code: 'ADS_POOL_BUSY' });
    expect((await first).type).toBe('done');
    expect((await second).type).toBe('done');
    // The quick task waited at the thread behind the slow one: the thread draws one task at a time.
    expect(order).toEqual(['slow', 'quick']);
    expect(pool.free).toBe(2);
    // The thread held a task through both (300 ms at least), and holds none now: its busy time stopped.
    const busy = pool.busyMs() - busy0;
    expect(busy).toBeGreaterThanOrEqual(300);
    expect(pool.busyMs() - busy0).toBe(busy);
  });

  it('spreads tasks over idle threads before queueing any behind a busy one', async () => {
    const pool = open(FAKE_WORKER, 2);
    const held = [pool.run(task('a', ['__sleep:100'])), pool.run(task('b', ['__sleep:100']))];
    // One on each thread, none queued behind the other.
    expect([pool.idle, pool.free]).toEqual([0, 2]);
    held.push(pool.run(task('c', [])), pool.run(task('d', [])));
    expect(pool.free).toBe(0);
    expect((await Promise.all(held)).map((r) => r.type)).toEqual(['done', 'done', 'done', 'done']);
    expect([pool.idle, pool.free]).toEqual([2, 4]);
  });

  it('a thread that dies fails the task it was drawing; the task queued behind it runs once on the replacement', async () => {
    const pool = open(FAKE_WORKER, 1);
    const crashing = pool.run(task('crash', ['__sleep:200', '__crash__']));
    const queued = pool.run(task('queued', ['__sleep:1']));
    const [c, q] = await Promise.all([crashing, queued]);
    expect(c).toMatchObject({ type: 'error', code: 'ADS_WORKER_CRASHED' });
    expect(q).toMatchObject({ type: 'done', mimeType: 'image/png' });
    // The replacement thread takes two tasks again.
    expect(pool.free).toBe(2);
    const again = await Promise.all([pool.run(task('x', [])), pool.run(task('y', []))]);
    expect(again.map((r) => r.type)).toEqual(['done', 'done']);
  });

  it('closing hands back every task it holds, drawing or queued', async () => {
    const pool = open(FAKE_WORKER, 1);
    const held = [pool.run(task('a', ['__sleep:2000'])), pool.run(task('b', ['__sleep:2000']))];
    await new Promise((r) => setTimeout(r, 100));
    await pool.close();
    for (const r of await Promise.all(held)) expect(r).toMatchObject({ type: 'error', code: 'ADS_WORKER_CRASHED' });
    expect(pool.free).toBe(0);
  });

  it('the real render thread draws two queued tasks of different jobs exactly as it draws each alone', async () => {
    const script = new URL('../../src/jobs/render-worker.ts', import.meta.url);
    const one = open(script, 1, 1);
    const two = open(script, 1, 2);
    const a = task('job_a', ['First job heading'], 0);
    const b = task('job_b', ['Second job, another scene'], 3);
    const alone: RenderReply[] = [await one.run(a), await one.run(b)];
    const queued = await Promise.all([two.run({ ...a, taskId: ++taskIds }), two.run({ ...b, taskId: ++taskIds })]);
    for (let i = 0; i < 2; i++) {
      const x = alone[i]!;
      const y = queued[i]!;
      if (x.type !== 'done' || y.type !== 'done') throw new Error(`render failed: ${JSON.stringify([x, y]).slice(0, 300)}`);
      expect([y.width, y.height]).toEqual([x.width, x.height]);
      expect(Buffer.from(y.bytes).equals(Buffer.from(x.bytes))).toBe(true);
    }
    expect(alone[0]!.type === 'done' && alone[1]!.type === 'done' && alone[0]!.width !== alone[1]!.width).toBe(true);
  }, 60_000);

  it('ADSMITH_TASKS_PER_THREAD sets the tasks a server thread holds: 2 by default, 1 to 4, anything else refused by name', () => {
    expect(loadConfig({ NODE_ENV: 'test' }).tasksPerThread).toBe(2);
    expect(loadConfig({ NODE_ENV: 'test', ADSMITH_TASKS_PER_THREAD: '1' }).tasksPerThread).toBe(1);
    expect(() => loadConfig({ NODE_ENV: 'test', ADSMITH_TASKS_PER_THREAD: '0' })).toThrow(/^ADSMITH_TASKS_PER_THREAD must be 1 to 4, got "0"/);
    expect(() => loadConfig({ NODE_ENV: 'test', ADSMITH_TASKS_PER_THREAD: 'two' })).toThrow(/^ADSMITH_TASKS_PER_THREAD must be a non-negative integer/);
    expect(() => new WorkerPool(FAKE_WORKER, 1, settings, { perThread: 0 })).toThrow(/perThread must be a positive integer/);
  });
});
