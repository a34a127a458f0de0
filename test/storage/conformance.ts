import { describe, expect, it } from 'vitest';
import type { MetadataStore, NewJob } from '../../src/storage/types.js';
import { METADATA_STORE_METHODS } from './store-methods.js';
import { newJob, newOrg } from './fixtures.js';
import { storeConformanceMore } from './conformance-more.js';
import { storeConformanceConcurrency } from './conformance-concurrency.js';

/**
 * The store with every method call recorded in `calls`, so that the suite can prove it called each method of
 * MetadataStore at least once (see the last case).
 */
export function tracked(store: MetadataStore, calls: Set<string>): MetadataStore {
  return new Proxy(store, {
    get(target, prop) {
      const value: unknown = Reflect.get(target, prop, target);
      if (typeof value !== 'function' || typeof prop !== 'string') return value;
      return (...args: unknown[]) => {
        calls.add(prop);
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
}

/**
 * One behaviour suite for every MetadataStore adapter (sqlite, postgres). `make` returns a fresh, migrated, empty
 * store each time. The cases are split over three files by theme; the last case fails when any method of
 * MetadataStore went uncalled by all of them.
 */
export function storeConformance(name: string, make: () => Promise<MetadataStore>): void {
  const calls = new Set<string>();
  const open = async (): Promise<MetadataStore> => tracked(await make(), calls);
  const job = newJob;
  const org = newOrg;

  describe(`${name}: metadata store conformance`, () => {
    it('migrates idempotently', async () => {
      const s = await open();
      await s.migrate();
      await s.migrate();
      await s.close();
    });

    it('tokens: found by hash, revocable', async () => {
      const s = await open();
      await org(s);
      await s.addToken({ id: 'tok_1', orgId: 'org_a', hash: 'h1', label: '' });
      expect((await s.findOrgByTokenHash('h1'))?.id).toBe('org_a');
      expect(await s.findOrgByTokenHash('h2')).toBeNull();
      expect(await s.revokeToken('tok_1')).toBe(true);
      expect(await s.findOrgByTokenHash('h1')).toBeNull();
      expect(await s.revokeToken('tok_1')).toBe(false);
      await s.close();
    });

    it('settings: initSetting keeps the first value', async () => {
      const s = await open();
      expect(await s.initSetting('k', 'a')).toBe('a');
      expect(await s.initSetting('k', 'b')).toBe('a');
      await s.close();
    });

    it('assets: versions, per-org isolation, soft delete', async () => {
      const s = await open();
      await org(s);
      await org(s, 'org_b');
      const a = await s.createAsset('org_a', 'template', { name: 'T', description: '', document: { v: 1 } });
      expect(a.id).toBeGreaterThanOrEqual(10000);
      expect(a.document).toEqual({ v: 1, id: String(a.id) });
      const b = await s.updateAsset('org_a', 'template', a.id, { name: 'T2', description: 'd', document: { v: 2 } });
      expect(b?.version).toBe(2);
      expect((await s.getAsset('org_a', 'template', a.id, 1))?.document).toEqual({ v: 1, id: String(a.id) });
      expect(await s.getAsset('org_b', 'template', a.id)).toBeNull();
      expect(await s.updateAsset('org_b', 'template', a.id, { name: 'x', description: '', document: {} })).toBeNull();
      expect(await s.getAsset('org_a', 'brand', a.id)).toBeNull();
      expect(await s.deleteAsset('org_b', 'template', a.id)).toBe(false);
      expect(await s.deleteAsset('org_a', 'template', a.id)).toBe(true);
      expect(await s.listAssets('org_a', 'template')).toEqual([]);
      await s.close();
    });

    it('jobs: created atomically with scenes, idempotency key per org, quota counted in the same step', async () => {
      const s = await open();
      await org(s, 'org_a', 'free');
      await org(s, 'org_b');
      const one = await s.createJob(job('org_a', 'job_1', 2, 'k'), 2);
      expect(one.created).toBe(true);
      const again = await s.createJob(job('org_a', 'job_2', 2, 'k'), 2);
      expect(again.created).toBe(false);
      expect(again.job?.id).toBe('job_1');
      expect((await s.getOrg('org_a'))?.requestCount).toBe(1);
      expect((await s.createJob(job('org_b', 'job_3', 1, 'k'), null)).created).toBe(true);
      expect((await s.createJob(job('org_a', 'job_4', 1), 2)).created).toBe(true);
      const over = await s.createJob(job('org_a', 'job_5', 1), 2);
      expect(over).toMatchObject({ job: null, quotaExceeded: true });
      expect(await s.getJob('job_5')).toBeNull();
      expect(await s.getScenes('job_5')).toEqual([]);
      // a failing insert (duplicate scene token) leaves nothing behind
      const dup = job('org_b', 'job_6', 2);
      (dup.scenes[1] as { token: string }).token = (dup.scenes[0] as { token: string }).token;
      await expect(s.createJob(dup, null)).rejects.toThrow();
      expect(await s.getJob('job_6')).toBeNull();
      expect((await s.getOrg('org_b'))?.requestCount).toBe(1);
      await s.close();
    });

    it('scenes: claimed in order, finished, job settles; orphans requeued, then given up', async () => {
      const s = await open();
      await org(s);
      await s.createJob(job('org_a', 'job_1', 2), null);
      await s.createJob(job('org_a', 'job_2', 1), null);
      const c1 = await s.claimScene(60_000, 3);
      const c2 = await s.claimScene(60_000, 3);
      expect([c1?.job.id, c1?.scene.index, c2?.job.id, c2?.scene.index]).toEqual(['job_1', 0, 'job_1', 1]);
      const r1 = await s.finishScene('job_1', 0, { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 3 });
      expect(r1).toEqual({ recorded: true, becameFinal: false });
      const r2 = await s.finishScene('job_1', 1, { status: 'failed', errorCode: 'X', errorStatus: 422, errorMessage: 'bad' });
      expect(r2).toMatchObject({ recorded: true, becameFinal: true, job: { status: 'ERROR' } });
      // finishing twice does not change a final scene, and says it did not
      expect(await s.finishScene('job_1', 0, { status: 'failed', errorCode: 'Y', errorStatus: 500, errorMessage: 'late' })).toEqual({ recorded: false, becameFinal: false });
      expect((await s.getScenes('job_1'))[0]?.status).toBe('done');

      const c3 = await s.claimScene(60_000, 2);
      expect(c3?.job.id).toBe('job_2');
      expect(await s.claimScene(60_000, 2)).toBeNull();
      expect(await s.requeueOrphans(2)).toEqual([]);
      expect((await s.getScenes('job_2'))[0]?.status).toBe('pending');
      await s.claimScene(60_000, 2);
      expect(await s.requeueOrphans(2)).toEqual(['job_2']);
      expect((await s.getJob('job_2'))?.status).toBe('ERROR');
      expect((await s.getScenes('job_2'))[0]?.errorCode).toBe('ADS_RENDER_INTERRUPTED');
      await s.close();
    });

    it('an expired lease lets another claimer take the scene; past maxAttempts it fails and the next is taken', async () => {
      const s = await open();
      await org(s);
      await s.createJob(job('org_a', 'job_1', 1), null);
      await s.createJob(job('org_a', 'job_2', 1), null);
      expect((await s.claimScene(-1, 2))?.job.id).toBe('job_1');
      const again = await s.claimScene(-1, 2);
      expect(again?.scene.attempts).toBe(2);
      const finals: string[] = [];
      const next = await s.claimScene(60_000, 2, (id) => finals.push(id));
      expect(next?.job.id).toBe('job_2');
      expect(finals).toEqual(['job_1']);
      expect((await s.getJob('job_1'))?.status).toBe('ERROR');
      await s.close();
    });

    it('claims serve organisations in turn (fewest pixels lately first), jobs in order within one; a capped plan waits', async () => {
      const s = await open();
      await org(s, 'org_a');
      await org(s, 'org_b');
      await org(s, 'org_c', 'free');
      // org_a queued two jobs before org_b's: first-in-first-out would run all four of org_a's scenes first.
      await s.createJob(job('org_a', 'a1', 3), null);
      await s.createJob(job('org_a', 'a2', 1), null);
      await s.createJob(job('org_b', 'b1', 2), null);
      const fairness = { orgCap: (plan: string) => (plan === 'free' ? 1 : Infinity) };
      const order: string[] = [];
      for (let i = 0; i < 6; i++) {
        const c = await s.claimScene(60_000, 3, undefined, fairness);
        order.push(`${c?.job.id}/${c?.scene.index}`);
      }
      expect(order).toEqual(['a1/0', 'b1/0', 'a1/1', 'b1/1', 'a1/2', 'a2/0']);
      // The Free plan's cap of 1: its second scene waits while the first renders, though nothing else is queued.
      await s.createJob(job('org_c', 'c1', 2), null);
      expect((await s.claimScene(60_000, 3, undefined, fairness))?.job.id).toBe('c1');
      expect(await s.claimScene(60_000, 3, undefined, fairness)).toBeNull();
      await s.finishScene('c1', 0, { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 3 });
      expect(await s.claimScene(60_000, 3, undefined, fairness)).toMatchObject({ job: { id: 'c1' }, scene: { index: 1 } });
      await s.close();
    });

    it('cancel: open scenes cancelled, job CANCELLED, second cancel refused', async () => {
      const s = await open();
      await org(s);
      await s.createJob(job('org_a', 'job_1', 2), null);
      await s.claimScene(60_000, 3);
      expect(await s.cancelJob('job_1')).toBe(true);
      expect((await s.getScenes('job_1')).map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
      expect((await s.getJob('job_1'))?.status).toBe('CANCELLED');
      expect(await s.cancelJob('job_1')).toBe(false);
      await s.close();
    });

    it('finds final jobs whose webhook delivery was never recorded', async () => {
      const s = await open();
      await org(s);
      await s.createJob({ ...job('org_a', 'job_1', 1), webhookUrl: 'http://x/hook' }, null);
      await s.createJob({ ...job('org_a', 'job_2', 1), webhookUrl: 'http://x/hook' }, null);
      expect(await s.jobsMissingDelivery(10)).toEqual([]);
      await s.cancelJob('job_1');
      await s.cancelJob('job_2');
      await s.addDelivery({ id: 'm1', orgId: 'org_a', jobId: 'job_2', url: 'http://x/hook', payload: '{}', nextAttemptAt: 0 });
      expect((await s.jobsMissingDelivery(10)).map((j) => j.id)).toEqual(['job_1']);
      await s.close();
    });

    it('batches: rows and their jobs written atomically, quota per accepted row, idempotency key per org', async () => {
      const s = await open();
      await org(s, 'org_a', 'free');
      await org(s, 'org_b');
      const refused = { code: 'ADS_UNKNOWN_CONTENT_TYPE', message: 'rows[1].elements[0].content_type is not a slot.' };
      const quota = { code: 'ADS_QUOTA_EXCEEDED', message: 'Quota exceeded.' };
      const batch = (orgId: string, id: string, jobs: number, key: string | null = null) => ({
        id,
        orgId,
        request: { template_id: '1061' },
        webhookUrl: null,
        idempotencyKey: key,
        requestHash: 'h',
        rows: [
          ...Array.from({ length: jobs }, (_, i) => ({ index: i === 0 ? 0 : i + 1, key: `k${i}`, job: job(orgId, `${id}_job_${i}`, 2), error: null })),
          { index: 1, key: null, job: null, error: refused },
        ],
      });
      const made = await s.createBatch(batch('org_a', 'b_1', 2, 'key'), 3, quota);
      expect(made).toMatchObject({ created: true, batch: { id: 'b_1', status: 'IN_PROGRESS', rowsTotal: 3 } });
      expect((await s.getOrg('org_a'))?.requestCount).toBe(2);
      const rows = await s.getBatchRows('b_1');
      expect(rows.map((r) => [r.index, r.jobId, r.jobStatus, r.errorCode, r.scenesTotal])).toEqual([
        [0, 'b_1_job_0', 'IN_PROGRESS', null, 2],
        [1, null, null, 'ADS_UNKNOWN_CONTENT_TYPE', 0],
        [2, 'b_1_job_1', 'IN_PROGRESS', null, 2],
      ]);
      expect(await s.findBatchOfJob('b_1_job_1')).toBe('b_1');
      expect(await s.findBatchOfJob('job_none')).toBeNull();
      expect([...(await s.getBatchScenes('b_1')).entries()].map(([id, sc]) => [id, sc.length])).toEqual([
        ['b_1_job_0', 2],
        ['b_1_job_1', 2],
      ]);
      // the same key: nothing written, the first batch returned
      const again = await s.createBatch(batch('org_a', 'b_2', 2, 'key'), 3, quota);
      expect(again).toMatchObject({ created: false, batch: { id: 'b_1' } });
      expect(await s.getJob('b_2_job_0')).toBeNull();
      expect((await s.findBatchByIdempotencyKey('org_a', 'key'))?.id).toBe('b_1');
      expect(await s.findBatchByIdempotencyKey('org_b', 'key')).toBeNull();
      // one request left on the plan: the first accepted row gets it, the next is refused with the quota error
      const partial = await s.createBatch(batch('org_a', 'b_3', 2), 3, quota);
      expect(partial.created).toBe(true);
      expect((await s.getBatchRows('b_3')).map((r) => [r.jobId, r.errorCode])).toEqual([
        ['b_3_job_0', null],
        [null, 'ADS_UNKNOWN_CONTENT_TYPE'],
        [null, 'ADS_QUOTA_EXCEEDED'],
      ]);
      expect(await s.getJob('b_3_job_1')).toBeNull();
      expect((await s.getOrg('org_a'))?.requestCount).toBe(3);
      // nothing accepted at all: final (ERROR) at once
      const none = await s.createBatch(batch('org_a', 'b_4', 1), 3, quota);
      expect(none.batch.status).toBe('ERROR');
      expect((await s.listBatches('org_a', 10)).map((b) => b.id)).toEqual(['b_4', 'b_3', 'b_1']);
      expect(await s.listBatches('org_b', 10)).toEqual([]);
      // a failing insert (duplicate scene token) leaves neither batch, rows nor jobs
      const dup = batch('org_b', 'b_5', 2);
      const second = dup.rows[1]?.job as NewJob;
      (second.scenes[0] as { token: string }).token = (dup.rows[0]?.job as NewJob).scenes[0]?.token as string;
      await expect(s.createBatch(dup, null, quota)).rejects.toThrow();
      expect(await s.getBatch('b_5')).toBeNull();
      expect(await s.getJob('b_5_job_0')).toBeNull();
      expect((await s.getOrg('org_b'))?.requestCount).toBe(0);
      await s.close();
    });

    it('batches: settle once every row is final (ERROR only when every row failed); cancel; missing webhook deliveries', async () => {
      const s = await open();
      await org(s);
      const batch = (id: string, webhookUrl: string | null) => ({
        id,
        orgId: 'org_a',
        request: {},
        webhookUrl,
        idempotencyKey: null,
        requestHash: null,
        rows: [
          { index: 0, key: 'a', job: job('org_a', `${id}_j0`, 1), error: null },
          { index: 1, key: 'b', job: job('org_a', `${id}_j1`, 2), error: null },
        ],
      });
      const quota = { code: 'Q', message: 'q' };
      await s.createBatch(batch('b_1', 'http://x/hook'), null, quota);
      expect(await s.settleBatch('b_1')).toMatchObject({ becameFinal: false, batch: { status: 'IN_PROGRESS' } });
      await s.finishScene('b_1_j0', 0, { status: 'failed', errorCode: 'ADS_IMAGE_UNAVAILABLE', errorStatus: 422, errorMessage: 'bad image' });
      const claimed = await s.claimScene(60_000, 3);
      expect(claimed?.job.id).toBe('b_1_j1');
      let rows = await s.getBatchRows('b_1');
      expect(rows.map((r) => [r.jobStatus, r.scenesFinal, r.scenesStarted, r.errorCode])).toEqual([
        ['ERROR', 1, 1, 'ADS_IMAGE_UNAVAILABLE'],
        ['IN_PROGRESS', 0, 1, null],
      ]);
      expect(rows[0]?.errorMessage).toBe('bad image');
      await s.finishScene('b_1_j1', 0, { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 3 });
      await s.finishScene('b_1_j1', 1, { status: 'done', blobKey: 'k2', mimeType: 'image/png', etag: '"f"', size: 3 });
      rows = await s.getBatchRows('b_1');
      expect(rows[1]).toMatchObject({ jobStatus: 'COMPLETED', scenesFinal: 2, scenesTotal: 2 });
      expect(await s.openBatches(10)).toMatchObject([{ id: 'b_1' }]);
      expect(await s.settleBatch('b_1')).toMatchObject({ becameFinal: true, batch: { status: 'COMPLETED' } });
      expect(await s.settleBatch('b_1')).toMatchObject({ becameFinal: false });
      expect(await s.openBatches(10)).toEqual([]);
      expect(await s.cancelBatch('b_1')).toBeNull();
      expect((await s.batchesMissingDelivery(10)).map((b) => b.id)).toEqual(['b_1']);
      await s.addDelivery({ id: 'm1', orgId: 'org_a', jobId: 'b_1', url: 'http://x/hook', payload: '{}', nextAttemptAt: 0 });
      expect(await s.batchesMissingDelivery(10)).toEqual([]);

      await s.createBatch(batch('b_2', null), null, quota);
      await s.finishScene('b_2_j0', 0, { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 3 });
      const cancelled = await s.cancelBatch('b_2');
      expect(cancelled?.batch.status).toBe('CANCELLED');
      expect(cancelled?.cancelledJobs).toEqual(['b_2_j1']);
      expect((await s.getJob('b_2_j0'))?.status).toBe('COMPLETED');
      expect((await s.getScenes('b_2_j1')).map((x) => x.status)).toEqual(['cancelled', 'cancelled']);
      expect(await s.cancelBatch('b_2')).toBeNull();

      await s.createBatch(batch('b_3', null), null, quota);
      for (const [id, n] of [['b_3_j0', 1], ['b_3_j1', 2]] as const) {
        for (let i = 0; i < n; i++) await s.finishScene(id, i, { status: 'failed', errorCode: 'X', errorStatus: 500, errorMessage: 'x' });
      }
      expect(await s.settleBatch('b_3')).toMatchObject({ becameFinal: true, batch: { status: 'ERROR' } });
      expect(await s.settleBatch('b_none')).toBeNull();
      await s.close();
    });

    it('tasks: the job and its task record in one step, quota counted; final tasks missing their webhook delivery', async () => {
      const s = await open();
      await org(s, 'org_a', 'free');
      const made = await s.createTask(job('org_a', 'job_t1', 2), { app: 'bria/ads-generate', webhookUrl: 'http://x/hook' }, 2);
      expect(made.job?.id).toBe('job_t1');
      expect(await s.getTask('job_t1')).toMatchObject({ jobId: 'job_t1', orgId: 'org_a', app: 'bria/ads-generate', webhookUrl: 'http://x/hook' });
      expect((await s.getScenes('job_t1')).length).toBe(2);
      await s.createTask(job('org_a', 'job_t2', 1), { app: 'adsmith/ads-generate', webhookUrl: null }, 2);
      expect(await s.createTask(job('org_a', 'job_t3', 1), { app: 'bria/ads-generate', webhookUrl: null }, 2)).toMatchObject({ job: null, quotaExceeded: true });
      expect(await s.getJob('job_t3')).toBeNull();
      expect(await s.getTask('job_t3')).toBeNull();
      expect(await s.getTask('job_none')).toBeNull();
      expect(await s.tasksMissingDelivery(10)).toEqual([]);
      await s.cancelJob('job_t1');
      await s.cancelJob('job_t2');
      expect((await s.tasksMissingDelivery(10)).map((x) => [x.job.id, x.job.status, x.task.app])).toEqual([['job_t1', 'CANCELLED', 'bria/ads-generate']]);
      await s.addDelivery({ id: 'm1', orgId: 'org_a', jobId: 'job_t1', url: 'http://x/hook', payload: '{}', nextAttemptAt: 0 });
      expect(await s.tasksMissingDelivery(10)).toEqual([]);
      await s.close();
    });

    it('scene revisions: N+1 only on top of N, all or none, found by file; the scene row is untouched', async () => {
      const s = await open();
      await org(s);
      await s.createJob(job('org_a', 'job_r', 2), null);
      const rev = (index: number, revision: number, file: string) => ({
        jobId: 'job_r', index, revision, sceneDoc: { name: `edit ${revision}` }, elements: [{ content_type: 'Heading #1', content: `v${revision}` }],
        blobKey: `revisions/job_r/${index}/${revision}.png`, file, mimeType: 'image/png', etag: `"e${revision}"`, size: 10 + revision, width: 10, height: 10,
      });
      expect(await s.latestSceneRevision('job_r', 0)).toBeNull();
      // revision 2 on top of nothing: conflict, nothing written
      expect(await s.addSceneRevisions([rev(0, 2, 'f-two.png')])).toEqual({ ok: false, index: 0, latest: 0 });
      const one = await s.addSceneRevisions([rev(0, 1, 'f-one.png')]);
      expect(one.ok && one.revisions.map((r) => [r.revision, r.file, r.sceneDoc, r.elements])).toEqual([[1, 'f-one.png', { name: 'edit 1' }, [{ content_type: 'Heading #1', content: 'v1' }]]]);
      // a second save based on the same revision 0 loses, and revision 1 keeps its content
      expect(await s.addSceneRevisions([{ ...rev(0, 1, 'f-other.png'), sceneDoc: { name: 'other' } }])).toEqual({ ok: false, index: 0, latest: 1 });
      expect((await s.latestSceneRevision('job_r', 0))?.sceneDoc).toEqual({ name: 'edit 1' });
      expect(await s.getSceneRevisionByFile('f-other.png')).toBeNull();
      // several scenes at once: one conflict writes none of them
      expect(await s.addSceneRevisions([rev(1, 1, 'f-s1.png'), rev(0, 1, 'f-s0.png')])).toEqual({ ok: false, index: 0, latest: 1 });
      expect(await s.latestSceneRevision('job_r', 1)).toBeNull();
      const both = await s.addSceneRevisions([rev(1, 1, 'f-s1.png'), rev(0, 2, 'f-s0.png')]);
      expect(both.ok).toBe(true);
      expect((await s.listSceneRevisions('job_r')).map((r) => [r.index, r.revision])).toEqual([[0, 1], [0, 2], [1, 1]]);
      expect((await s.listSceneRevisions('job_r', 0)).map((r) => r.file)).toEqual(['f-one.png', 'f-s0.png']);
      expect(await s.getSceneRevisionByFile('f-s1.png')).toMatchObject({ jobId: 'job_r', index: 1, revision: 1, mimeType: 'image/png', etag: '"e1"', size: 11 });
      // a file name is unique: reusing one fails and writes nothing
      await expect(s.addSceneRevisions([rev(1, 2, 'f-one.png')])).rejects.toThrow();
      expect((await s.latestSceneRevision('job_r', 1))?.revision).toBe(1);
      expect((await s.getScenes('job_r'))[0]).toMatchObject({ status: 'pending', blobKey: null });
      await s.close();
    });

    it('webhook deliveries: due ordering and updates', async () => {
      const s = await open();
      await s.addDelivery({ id: 'm1', orgId: 'o', jobId: 'j', url: 'http://x', payload: '{}', nextAttemptAt: 10 });
      await s.addDelivery({ id: 'm2', orgId: 'o', jobId: 'j', url: 'http://x', payload: '{}', nextAttemptAt: 1000 });
      expect((await s.dueDeliveries(100, 10)).map((d) => d.id)).toEqual(['m1']);
      await s.updateDelivery('m1', { status: 'delivered', attempts: 1, nextAttemptAt: 0, lastStatusCode: 200, lastError: null });
      expect((await s.dueDeliveries(2000, 10)).map((d) => d.id)).toEqual(['m2']);
      expect((await s.listDeliveries('o', 10)).length).toBe(2);
      await s.close();
    });

    storeConformanceMore(open);
    storeConformanceConcurrency(open);

    // Runs last (vitest runs a file's cases in order): every method the interface has was called by a case above.
    it('calls every MetadataStore method', async () => {
      const s = await make();
      const missingOnAdapter = METADATA_STORE_METHODS.filter((m) => typeof (s as unknown as Record<string, unknown>)[m] !== 'function');
      await s.close();
      expect(missingOnAdapter).toEqual([]);
      expect(METADATA_STORE_METHODS.filter((m) => !calls.has(m))).toEqual([]);
    });
  });
}
