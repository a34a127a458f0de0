import { describe, expect, it } from 'vitest';
import type { MetadataStore } from '../../src/storage/types.js';
import { addJob, addOrg } from '../jobs/queue-fixtures.js';

/**
 * claimSceneAt, the claim of a named scene used by queues that hand scenes out themselves (BullMQ). A
 * function of the store's opener, so every MetadataStore adapter runs the same cases.
 */
export function claimSceneAtConformance(name: string, open: () => Promise<{ store: MetadataStore; close(): Promise<void> }>): void {
  describe(`MetadataStore.claimSceneAt: ${name}`, () => {
    it('takes a pending scene (rendering, one attempt), takes it again from a stalled holder, fails it after maxAttempts', async () => {
      const { store, close } = await open();
      try {
        await addOrg(store, 'org_a');
        const job = await addJob(store, 'org_a', 2, 'x');
        const first = await store.claimSceneAt(job.id, 1, 60_000, 2);
        expect(first.becameFinal).toBe(false);
        expect(first.claimed?.job.id).toBe(job.id);
        expect(first.claimed?.scene).toMatchObject({ index: 1, status: 'rendering', attempts: 1 });
        // Only that scene was taken.
        expect((await store.getScenes(job.id))[0]).toMatchObject({ status: 'pending', attempts: 0 });
        // The queue handed it out again (its holder stalled): taken whatever its lease, one more attempt.
        expect((await store.claimSceneAt(job.id, 1, 60_000, 2)).claimed?.scene).toMatchObject({ status: 'rendering', attempts: 2 });
        // Out of attempts: failed instead; the job is not final while scene 0 is open.
        expect(await store.claimSceneAt(job.id, 1, 60_000, 2)).toEqual({ claimed: null, becameFinal: false });
        expect((await store.getScenes(job.id))[1]).toMatchObject({ status: 'failed', errorCode: 'ADS_RENDER_INTERRUPTED' });
        await store.finishScene(job.id, 0, { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 1 });
        expect((await store.getJob(job.id))?.status).toBe('ERROR');
      } finally {
        await close();
      }
    });

    it('a scene given up as the last open one makes its job final (becameFinal once)', async () => {
      const { store, close } = await open();
      try {
        await addOrg(store, 'org_a');
        const job = await addJob(store, 'org_a', 1, 'x');
        await store.claimSceneAt(job.id, 0, 60_000, 1);
        expect(await store.claimSceneAt(job.id, 0, 60_000, 1)).toEqual({ claimed: null, becameFinal: true });
        expect(await store.claimSceneAt(job.id, 0, 60_000, 1)).toEqual({ claimed: null, becameFinal: false });
        expect((await store.getJob(job.id))?.status).toBe('ERROR');
      } finally {
        await close();
      }
    });

    it('a final, cancelled or unknown scene is not taken', async () => {
      const { store, close } = await open();
      try {
        await addOrg(store, 'org_a');
        const done = await addJob(store, 'org_a', 1, 'x');
        await store.finishScene(done.id, 0, { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 1 });
        expect(await store.claimSceneAt(done.id, 0, 60_000, 3)).toEqual({ claimed: null, becameFinal: false });
        const cancelled = await addJob(store, 'org_a', 2, 'x');
        await store.cancelJob(cancelled.id);
        expect(await store.claimSceneAt(cancelled.id, 1, 60_000, 3)).toEqual({ claimed: null, becameFinal: false });
        expect(await store.claimSceneAt(cancelled.id, 7, 60_000, 3)).toEqual({ claimed: null, becameFinal: false });
        expect(await store.claimSceneAt('job_unknown', 0, 60_000, 3)).toEqual({ claimed: null, becameFinal: false });
        expect((await store.getScenes(done.id))[0]).toMatchObject({ status: 'done', attempts: 0 });
      } finally {
        await close();
      }
    });
  });
}
