import { describe, expect, it } from 'vitest';
import type { BlobStore } from '../../src/blob/types.js';
import { MemoryEventBus } from '../../src/jobs/events.js';
import { LocalQueue } from '../../src/jobs/local.js';
import { addJob, addOrg, fakePool, openStores, until } from './queue-fixtures.js';

/**
 * A rendered scene whose result the blob store refuses (S3 unreachable) is retried like an interrupted one and,
 * after maxAttempts, fails with the store's own error; it never stays `rendering`. (With real processes and S3:
 * test/scale/faults.test.ts.)
 */
describe('a result the blob store cannot take', () => {
  it('is retried, then the scene fails with ADS_RESULT_NOT_STORED and the store\'s message; the job becomes final', async () => {
    const stores = await openStores();
    let refusals = 0;
    // The blob store's writes fail as an unreachable S3's do; reads and the rest stay the real fs store's.
    const refusing = new Proxy(stores.blob, {
      get(target, prop, receiver) {
        if (prop === 'put') {
          return async () => {
            refusals++;
            throw new Error('S3 PutObject of "results/x" in bucket "ads" at http://127.0.0.1:1 failed after 3 attempts: ECONNREFUSED');
          };
        }
        const v = Reflect.get(target, prop, receiver) as unknown;
        return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(target) : v;
      },
    }) as BlobStore;
    const queue = new LocalQueue({ store: stores.store, blob: refusing, events: new MemoryEventBus(), pool: fakePool(1, stores.blob), maxAttempts: 3 });
    try {
      await queue.start();
      await addOrg(stores.store, 'org_a');
      const job = await addJob(stores.store, 'org_a', 2, 'x');
      queue.notify(job.id);
      const final = await until('the job to become final', async () => {
        const j = await stores.store.getJob(job.id);
        return j && j.status !== 'IN_PROGRESS' ? j : null;
      });
      expect(final.status).toBe('ERROR');
      const scenes = await stores.store.getScenes(job.id);
      for (const s of scenes) {
        expect(s).toMatchObject({ status: 'failed', attempts: 3, errorCode: 'ADS_RESULT_NOT_STORED', errorStatus: 503 });
        expect(s.errorMessage).toBe('The rendered scene could not be stored (3 attempts): S3 PutObject of "results/x" in bucket "ads" at http://127.0.0.1:1 failed after 3 attempts: ECONNREFUSED');
      }
      expect(refusals).toBe(6); // 2 scenes × 3 attempts
    } finally {
      await queue.stop();
      await stores.close();
    }
  });
});
