/**
 * What the queue adds to a scene: one-scene jobs, one after another, from `notify` to the job's final event,
 * through the embedded LocalQueue or through BullMQ (a BullQueue with its worker in the same process, Redis on
 * loopback), on a SQLite store and one thread of the stand-in renderer (which answers a 1×1 PNG at once), so the
 * difference between the two is the queue's round trip. Used by queue-overhead.bench.ts and scale-out.bench.ts.
 */
import { performance } from 'node:perf_hooks';
import { BullQueue } from '../../src/jobs/bullmq.js';
import { MemoryEventBus } from '../../src/jobs/events.js';
import { LocalQueue } from '../../src/jobs/local.js';
import type { JobQueue } from '../../src/jobs/types.js';
import { addJob, addOrg, fakePool, openStores } from '../../test/jobs/queue-fixtures.js';

const WARMUP = 5;

/** `jobs` one-scene jobs (after 5 unmeasured), notify → final, in ms each. */
export async function queueRoundTrips(kind: 'local' | 'bullmq', jobs: number, redisUrl: string): Promise<number[]> {
  // Render threads are unref'd: keep the process alive while the queue works.
  const keepAlive = setInterval(() => undefined, 1000);
  const stores = await openStores();
  await addOrg(stores.store, 'org_bench');
  const events = new MemoryEventBus();
  const prefix = `adsmith-bench-${process.pid}-${Date.now().toString(36)}`;
  const parts = { store: stores.store, blob: stores.blob, events, pool: fakePool(1, stores.blob) };
  const queue: JobQueue = kind === 'local' ? new LocalQueue(parts) : new BullQueue({ ...parts, redisUrl, prefix });
  await queue.start();
  const samples: number[] = [];
  try {
    for (let i = 0; i < WARMUP + jobs; i++) {
      const job = await addJob(stores.store, 'org_bench', 1, 'bench');
      const final = new Promise<void>((resolve) => events.subscribe(job.id, (e) => e.type === 'final' && resolve()));
      const t0 = performance.now();
      queue.notify(job.id);
      await final;
      if (i >= WARMUP) samples.push(performance.now() - t0);
    }
  } finally {
    await queue.stop();
    if (kind === 'bullmq') await BullQueue.obliterate({ redisUrl, prefix });
    await stores.close();
    clearInterval(keepAlive);
  }
  return samples;
}
