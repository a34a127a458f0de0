import { describe, expect, it } from 'vitest';
import { BullQueue } from '../../src/jobs/bullmq.js';
import { MemoryEventBus } from '../../src/jobs/events.js';
import { queueConformance } from './queue-conformance.js';
import { addJob, addOrg, fakePool, openStores, REDIS_URL, requireRedis, uniquePrefix, until } from './queue-fixtures.js';

queueConformance('bullmq', async () => {
  await requireRedis();
  const prefix = uniquePrefix('bullmq');
  const options = { redisUrl: REDIS_URL, prefix, backoffMs: 50, capRetryMs: 50 };
  return {
    make: (parts) => new BullQueue({ ...parts, ...options }),
    close: () => BullQueue.obliterate(options),
  };
});

describe('BullMQ: enqueuing', () => {
  it('a job whose enqueue failed (the store did not answer a moment) is enqueued again and completes', async () => {
    await requireRedis();
    const stores = await openStores();
    const prefix = uniquePrefix('enqueue');
    let failures = 0;
    // The first read of a job fails, as a store that lost its connection for a moment would.
    const flaky = new Proxy(stores.store, {
      get(target, prop, receiver) {
        if (prop === 'getJob' && failures === 0) {
          return async () => {
            failures++;
            throw new Error('connection reset');
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const logged: string[] = [];
    const queue = new BullQueue({ store: flaky, blob: stores.blob, events: new MemoryEventBus(), pool: fakePool(1, stores.blob), redisUrl: REDIS_URL, prefix, retryEnqueueMs: 100, log: (msg) => logged.push(msg) });
    try {
      await queue.start();
      await addOrg(stores.store, 'org_a');
      const job = await addJob(stores.store, 'org_a', 2, 'x');
      queue.notify(job.id);
      const done = await until('the job to complete', async () => {
        const j = await stores.store.getJob(job.id);
        return j && j.status !== 'IN_PROGRESS' ? j : null;
      });
      expect(done.status).toBe('COMPLETED');
      expect(failures).toBe(1);
      expect(logged).toContain('could not enqueue a job in BullMQ; trying again');
    } finally {
      await queue.stop();
      await BullQueue.obliterate({ redisUrl: REDIS_URL, prefix });
      await stores.close();
    }
  });
});

describe('BullMQ: the sweep of the store', () => {
  it('scenes the store holds open and Redis lost (a restart without persistence) are enqueued again; a scene rendering under a live lease is not', async () => {
    await requireRedis();
    const stores = await openStores();
    const prefix = uniquePrefix('sweep');
    const queue = new BullQueue({ store: stores.store, blob: stores.blob, events: new MemoryEventBus(), pool: fakePool(1, stores.blob), redisUrl: REDIS_URL, prefix, sweepMs: 60_000 });
    try {
      await addOrg(stores.store, 'org_a');
      // Accepted while nothing carried it to Redis: never notified, as if Redis had forgotten it.
      const lost = await addJob(stores.store, 'org_a', 3, 'x');
      // Another held by a live worker elsewhere: the sweep must leave it to that worker.
      const held = await addJob(stores.store, 'org_a', 1, 'x');
      await stores.store.claimSceneAt(held.id, 0, 60_000, 3);
      await queue.start();
      expect(await queue.sweep()).toBe(3);
      const done = await until('the lost job to complete', async () => {
        const j = await stores.store.getJob(lost.id);
        return j && j.status !== 'IN_PROGRESS' ? j : null;
      });
      expect(done.status).toBe('COMPLETED');
      // Each scene rendered once, however often it was offered.
      expect((await stores.store.getScenes(lost.id)).map((s) => s.attempts)).toEqual([1, 1, 1]);
      expect(await queue.sweep()).toBe(0);
      expect(await stores.store.getScenes(held.id)).toEqual([expect.objectContaining({ status: 'rendering', attempts: 1 })]);
    } finally {
      await queue.stop();
      await BullQueue.obliterate({ redisUrl: REDIS_URL, prefix });
      await stores.close();
    }
  });
});

describe('BullMQ: stopping a worker', () => {
  it('stop() waits for the scene being rendered to be recorded; the rest stay queued for another worker', async () => {
    await requireRedis();
    const stores = await openStores();
    const prefix = uniquePrefix('stop');
    const parts = { store: stores.store, blob: stores.blob, events: new MemoryEventBus(), redisUrl: REDIS_URL, prefix };
    const first = new BullQueue({ ...parts, pool: fakePool(1, stores.blob) });
    const second = new BullQueue({ ...parts, pool: fakePool(1, stores.blob) });
    try {
      await first.start();
      await addOrg(stores.store, 'org_a');
      const job = await addJob(stores.store, 'org_a', 3, '__sleep:400');
      first.notify(job.id);
      await until('a scene to render', async () => (await stores.store.getScenes(job.id)).some((s) => s.status === 'rendering'));
      await first.stop();
      // Nothing left half-done: the scene it was rendering is recorded, the others wait in the queue.
      const atStop = await stores.store.getScenes(job.id);
      expect(atStop.filter((s) => s.status === 'rendering')).toEqual([]);
      expect(atStop.filter((s) => s.status === 'done').length).toBeGreaterThanOrEqual(1);
      expect(atStop.filter((s) => s.status === 'pending').length).toBeGreaterThanOrEqual(1);
      await second.start();
      const done = await until('the job to complete on the second worker', async () => {
        const j = await stores.store.getJob(job.id);
        return j && j.status !== 'IN_PROGRESS' ? j : null;
      });
      expect(done.status).toBe('COMPLETED');
      for (const s of await stores.store.getScenes(job.id)) expect(s.attempts).toBe(1);
    } finally {
      await second.stop();
      await BullQueue.obliterate({ redisUrl: REDIS_URL, prefix });
      await stores.close();
    }
  });
});

describe('BullMQ: a scene BullMQ gives up on', () => {
  it('when every attempt fails before rendering (the store refuses the claim), the scene is failed in the store and the job announced once', async () => {
    await requireRedis();
    const stores = await openStores();
    const prefix = uniquePrefix('giveup');
    let claims = 0;
    const refusing = new Proxy(stores.store, {
      get(target, prop, receiver) {
        if (prop === 'claimSceneAt') {
          return async () => {
            claims++;
            throw new Error('database unavailable');
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    });
    const queue = new BullQueue({ store: refusing, blob: stores.blob, events: new MemoryEventBus(), pool: fakePool(1, stores.blob), redisUrl: REDIS_URL, prefix, maxAttempts: 2, backoffMs: 20 });
    const finals: string[] = [];
    queue.onFinal((j) => finals.push(j.id));
    try {
      await queue.start();
      await addOrg(stores.store, 'org_a');
      const job = await addJob(stores.store, 'org_a', 1, 'x');
      queue.notify(job.id);
      const done = await until('the job to be final', async () => {
        const j = await stores.store.getJob(job.id);
        return j && j.status !== 'IN_PROGRESS' ? j : null;
      });
      expect(done.status).toBe('ERROR');
      expect(claims).toBe(2); // BullMQ's attempts = maxAttempts
      expect((await stores.store.getScenes(job.id))[0]).toMatchObject({ status: 'failed', errorCode: 'ADS_RENDER_INTERRUPTED' });
      await new Promise((r) => setTimeout(r, 200));
      expect(finals).toEqual([job.id]);
    } finally {
      await queue.stop();
      await BullQueue.obliterate({ redisUrl: REDIS_URL, prefix });
      await stores.close();
    }
  });
});
