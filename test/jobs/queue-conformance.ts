import { afterEach, describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/blob/types.js';
import { MemoryEventBus } from '../../src/jobs/events.js';
import type { WorkerPool } from '../../src/jobs/pool.js';
import type { JobEvent, JobEventBus, JobQueue } from '../../src/jobs/types.js';
import type { JobRecord, MetadataStore, PlanName } from '../../src/storage/types.js';
import { addJob, addOrg, fakePool, openStores, sleep, until } from './queue-fixtures.js';

/** The parts a queue adapter is built from; several queues of one test share the store, blob store and deployment. */
export interface QueueParts {
  store: MetadataStore;
  blob: BlobStore;
  events: JobEventBus;
  /** null: a producer only (API node). */
  pool: WorkerPool | null;
  maxAttempts: number;
  orgCap?: (plan: PlanName) => number;
}

export interface QueueAdapter {
  /** A queue instance of this test's deployment (not started). */
  make(parts: QueueParts): JobQueue;
  /** Removes the deployment (Redis keys…), after every queue stopped. */
  close(): Promise<void>;
}

/** A queue under test and what it did: onFinal calls, and the scenes it started (its own `rendering` events). */
interface Instance {
  queue: JobQueue;
  finals: JobRecord[];
  started: Array<{ jobId: string; index: number }>;
}

/**
 * One suite for every JobQueue adapter (local, bullmq): real worker threads (the stand-in renderer), a SQLite
 * store and an fs blob store in a temp directory, and the adapter's own deployment (a Redis prefix) per test.
 */
export function queueConformance(name: string, openAdapter: () => Promise<QueueAdapter>): void {
  describe(`JobQueue conformance: ${name}`, () => {
    let cleanup: Array<() => Promise<void>> = [];

    afterEach(async () => {
      for (const c of cleanup.reverse()) await c();
      cleanup = [];
    });

    async function setup() {
      const stores = await openStores();
      const adapter = await openAdapter();
      const events = new MemoryEventBus();
      const instances: Instance[] = [];
      cleanup.push(async () => {
        for (const i of instances) await i.queue.stop();
        await adapter.close();
        await stores.close();
      });
      const start = async (threads: number, opts: { maxAttempts?: number; orgCap?: (plan: PlanName) => number } = {}): Promise<Instance> => {
        const started: Instance['started'] = [];
        // Each instance publishes through its own view of the shared bus, so the test sees which one started what.
        const own: JobEventBus = {
          publish: (e: JobEvent) => {
            if (e.type === 'scene' && e.status === 'rendering' && e.index !== undefined) started.push({ jobId: e.jobId, index: e.index });
            events.publish(e);
          },
          subscribe: (jobId, l) => events.subscribe(jobId, l),
        };
        const queue = adapter.make({
          store: stores.store,
          blob: stores.blob,
          events: own,
          pool: threads > 0 ? fakePool(threads, stores.blob) : null,
          maxAttempts: opts.maxAttempts ?? 3,
          ...(opts.orgCap ? { orgCap: opts.orgCap } : {}),
        });
        const instance: Instance = { queue, finals: [], started };
        queue.onFinal((job) => instance.finals.push(job));
        instances.push(instance);
        await queue.start();
        return instance;
      };
      const finalOf = (jobId: string) =>
        until(`job ${jobId} to be final`, async () => {
          const job = await stores.store.getJob(jobId);
          return job && job.status !== 'IN_PROGRESS' ? job : null;
        });
      return { ...stores, events, start, finalOf, instances };
    }

    it("a job's scenes all complete, each stored once, and the job is announced final exactly once", async () => {
      const t = await setup();
      const q = await t.start(2);
      await addOrg(t.store, 'org_a');
      const job = await addJob(t.store, 'org_a', 3, '__sleep:50');
      const finalEvents: JobEvent[] = [];
      t.events.subscribe(job.id, (e) => e.type === 'final' && finalEvents.push(e));
      q.queue.notify(job.id);
      const done = await t.finalOf(job.id);
      expect(done.status).toBe('COMPLETED');
      await sleep(300); // a second announcement would come now
      expect(q.finals.map((j) => j.id)).toEqual([job.id]);
      expect(finalEvents).toHaveLength(1);
      const scenes = await t.store.getScenes(job.id);
      for (const s of scenes) {
        expect(s).toMatchObject({ status: 'done', attempts: 1, mimeType: 'image/png' });
        expect((await t.blob.get(s.blobKey as string))?.byteLength).toBe(s.size);
      }
    });

    it("a scene the renderer refuses fails the job with the scene's cause", async () => {
      const t = await setup();
      const q = await t.start(1);
      await addOrg(t.store, 'org_a');
      const job = await addJob(t.store, 'org_a', 2, '__fail__');
      q.queue.notify(job.id);
      expect((await t.finalOf(job.id)).status).toBe('ERROR');
      const [first, second] = await t.store.getScenes(job.id);
      expect(first).toMatchObject({ status: 'failed', errorCode: 'ADS_IMAGE_UNAVAILABLE', errorStatus: 422 });
      expect(second).toMatchObject({ status: 'done' });
      expect(q.finals).toHaveLength(1);
    });

    it("a pro organisation's job accepted behind a free one's is not kept waiting for it", async () => {
      const t = await setup();
      const q = await t.start(1);
      await addOrg(t.store, 'org_free', 'free');
      await addOrg(t.store, 'org_pro', 'pro');
      const free = await addJob(t.store, 'org_free', 5, '__sleep:150');
      q.queue.notify(free.id);
      await until('the free job to start', () => q.started.length > 0);
      const pro = await addJob(t.store, 'org_pro', 2, '__sleep:10');
      q.queue.notify(pro.id);
      await t.finalOf(free.id);
      await t.finalOf(pro.id);
      const order = q.finals.map((j) => j.id);
      expect(order).toEqual([pro.id, free.id]);
      // The pro job's scenes started before the free job's last ones.
      const proFirst = q.started.findIndex((s) => s.jobId === pro.id);
      expect(proFirst).toBeGreaterThan(0);
      expect(proFirst).toBeLessThan(q.started.length - 2);
    });

    it('a scene whose render thread crashes is retried, then failed after maxAttempts; the job is final once', async () => {
      const t = await setup();
      const q = await t.start(1, { maxAttempts: 2 });
      await addOrg(t.store, 'org_a');
      const job = await addJob(t.store, 'org_a', 1, '__crash__');
      q.queue.notify(job.id);
      expect((await t.finalOf(job.id)).status).toBe('ERROR');
      const [scene] = await t.store.getScenes(job.id);
      expect(scene).toMatchObject({ status: 'failed', errorCode: 'ADS_RENDER_INTERRUPTED', attempts: 2 });
      expect(q.started.filter((s) => s.jobId === job.id)).toHaveLength(2);
      await sleep(300);
      expect(q.finals.map((j) => j.id)).toEqual([job.id]);
    });

    it('a thread that dies with a scene queued behind the one it draws: that scene renders once, on the next thread, without spending an attempt', async () => {
      const t = await setup();
      // One thread: the pool holds two tasks on it, the one it draws and one queued behind it.
      const q = await t.start(1, { maxAttempts: 2 });
      await addOrg(t.store, 'org_a');
      await addOrg(t.store, 'org_b');
      const crash = await addJob(t.store, 'org_a', 1, ['__sleep:400', '__crash__']);
      const plain = await addJob(t.store, 'org_b', 2, '__sleep:20');
      q.queue.notify(crash.id);
      await until('the crashing scene to start', () => q.started.some((s) => s.jobId === crash.id));
      q.queue.notify(plain.id);
      // Claimed ahead while the thread still draws the first: two scenes rendering on one thread.
      await until('a plain scene queued at the busy thread', async () => {
        const [c] = await t.store.getScenes(crash.id);
        return c?.status === 'rendering' && c.attempts === 1 && (await t.store.getScenes(plain.id)).some((s) => s.status === 'rendering');
      });
      expect((await t.finalOf(plain.id)).status).toBe('COMPLETED');
      expect((await t.finalOf(crash.id)).status).toBe('ERROR');
      await sleep(300);
      for (const s of await t.store.getScenes(plain.id)) {
        expect(s).toMatchObject({ status: 'done', attempts: 1 });
        expect((await t.blob.get(s.blobKey as string))?.byteLength).toBe(s.size);
      }
      expect(q.started.filter((s) => s.jobId === plain.id).map((s) => s.index).sort()).toEqual([0, 1]);
      const [c] = await t.store.getScenes(crash.id);
      expect(c).toMatchObject({ status: 'failed', errorCode: 'ADS_RENDER_INTERRUPTED', attempts: 2 });
      expect(q.started.filter((s) => s.jobId === crash.id)).toHaveLength(2);
      expect(q.finals.map((j) => j.id).sort()).toEqual([crash.id, plain.id].sort());
    });

    it("a cancelled job's remaining scenes are never rendered; the queue goes on with the next job", async () => {
      const t = await setup();
      const q = await t.start(1);
      await addOrg(t.store, 'org_a');
      const job = await addJob(t.store, 'org_a', 4, '__sleep:300');
      q.queue.notify(job.id);
      await until('the first scene to start', () => q.started.length > 0);
      expect(await t.store.cancelJob(job.id)).toBe(true);
      const startedAtCancel = q.started.length;
      const next = await addJob(t.store, 'org_a', 1, 'next');
      q.queue.notify(next.id);
      expect((await t.finalOf(next.id)).status).toBe('COMPLETED');
      await sleep(400);
      expect(q.started.filter((s) => s.jobId === job.id)).toHaveLength(startedAtCancel);
      expect((await t.store.getScenes(job.id)).map((s) => s.status)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
      expect((await t.store.getJob(job.id))?.status).toBe('CANCELLED');
      // A cancellation is announced by the route that made it, not by the queue.
      expect(q.finals.map((j) => j.id)).toEqual([next.id]);
    });

    it('a producer-only queue (API node) and a separate worker queue complete a job', async () => {
      const t = await setup();
      const api = await t.start(0);
      const worker = await t.start(1);
      await addOrg(t.store, 'org_a');
      const job = await addJob(t.store, 'org_a', 2, '__sleep:20');
      api.queue.notify(job.id);
      expect((await t.finalOf(job.id)).status).toBe('COMPLETED');
      await sleep(200);
      expect(api.started).toHaveLength(0);
      expect(worker.started).toHaveLength(2);
      expect(worker.finals.map((j) => j.id)).toEqual([job.id]);
      expect(api.finals).toHaveLength(0);
    });

    it('two worker instances share a job: every scene rendered once, the job announced once', async () => {
      const t = await setup();
      const a = await t.start(1);
      const b = await t.start(1);
      await addOrg(t.store, 'org_a');
      const job = await addJob(t.store, 'org_a', 6, '__sleep:200');
      a.queue.notify(job.id);
      b.queue.notify(job.id); // twice: nothing is queued twice
      expect((await t.finalOf(job.id)).status).toBe('COMPLETED');
      await sleep(300);
      expect(a.started.length).toBeGreaterThan(0);
      expect(b.started.length).toBeGreaterThan(0);
      const rendered = [...a.started, ...b.started].map((s) => s.index).sort();
      expect(rendered).toEqual([0, 1, 2, 3, 4, 5]);
      for (const s of await t.store.getScenes(job.id)) expect(s).toMatchObject({ status: 'done', attempts: 1 });
      expect([...a.finals, ...b.finals].map((j) => j.id)).toEqual([job.id]);
    });

    it("an organisation's cap holds it to that many scenes rendering at once, across instances", async () => {
      const t = await setup();
      const cap = () => 1;
      const a = await t.start(2, { orgCap: cap });
      const b = await t.start(2, { orgCap: cap });
      await addOrg(t.store, 'org_a');
      const job = await addJob(t.store, 'org_a', 4, '__sleep:150');
      a.queue.notify(job.id);
      b.queue.notify(job.id);
      let most = 0;
      for (;;) {
        const scenes = await t.store.getScenes(job.id);
        most = Math.max(most, scenes.filter((s) => s.status === 'rendering').length);
        if (scenes.every((s) => s.status === 'done')) break;
        await sleep(10);
      }
      expect(most).toBe(1);
      await t.finalOf(job.id);
    });
  });
}
