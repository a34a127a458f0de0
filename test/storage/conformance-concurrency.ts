import { expect, it } from 'vitest';
import type { ClaimedScene, MetadataStore } from '../../src/storage/types.js';
import { DONE, newJob, newOrg } from './fixtures.js';

/**
 * Conformance cases for calls made at the same time, as several API and worker processes make them on a shared
 * database. Against PostgreSQL the calls run on separate pooled connections, truly at once; against SQLite they
 * are serialised by its single writer and must come to the same outcome.
 */
export function storeConformanceConcurrency(open: () => Promise<MetadataStore>): void {
  /** Claims until the queue is empty, from `workers` claimers at once; every claim made, in order per claimer. */
  async function drain(s: MetadataStore, workers: number, fairness?: { orgCap: (plan: string) => number }): Promise<ClaimedScene[]> {
    const claims: ClaimedScene[] = [];
    await Promise.all(
      Array.from({ length: workers }, async () => {
        for (;;) {
          const c = await s.claimScene(60_000, 3, undefined, fairness);
          if (!c) return;
          claims.push(c);
        }
      }),
    );
    return claims;
  }

  it('concurrent claimScene callers never get the same scene, and together take every scene', async () => {
    const s = await open();
    await newOrg(s, 'org_a');
    await newOrg(s, 'org_b');
    for (let j = 0; j < 4; j++) await s.createJob(newJob(j % 2 ? 'org_b' : 'org_a', `job_${j}`, 6), null);
    const claims = await drain(s, 8, { orgCap: () => Infinity });
    const taken = claims.map((c) => `${c.scene.jobId}/${c.scene.index}`);
    expect(new Set(taken).size).toBe(taken.length);
    expect(taken.length).toBe(24);
    expect(claims.every((c) => c.scene.status === 'rendering' && c.scene.attempts === 1 && c.job.id === c.scene.jobId)).toBe(true);
    expect(await s.claimScene(60_000, 3)).toBeNull();
    await s.close();
  });

  it("concurrent claimers respect an organisation's cap on scenes rendering at once", async () => {
    const s = await open();
    await newOrg(s, 'org_free', 'free');
    await newOrg(s, 'org_pro', 'pro');
    await s.createJob(newJob('org_free', 'job_free', 5), null);
    await s.createJob(newJob('org_pro', 'job_pro', 3), null);
    const claims = await drain(s, 6, { orgCap: (plan) => (plan === 'free' ? 2 : Infinity) });
    expect(claims.filter((c) => c.job.orgId === 'org_free').length).toBe(2);
    expect(claims.filter((c) => c.job.orgId === 'org_pro').length).toBe(3);
    await s.close();
  });

  it('concurrent finishScene on the last two scenes of a job: exactly one caller sees the job become final', async () => {
    const s = await open();
    await newOrg(s);
    const jobs = Array.from({ length: 10 }, (_, j) => `job_${j}`);
    for (const id of jobs) await s.createJob(newJob('org_a', id, 2), null);
    await drain(s, 4);
    for (const id of jobs) {
      const results = await Promise.all([s.finishScene(id, 0, DONE), s.finishScene(id, 1, { ...DONE, blobKey: 'k2' })]);
      expect(results.filter((r) => r.becameFinal).length).toBe(1);
      expect(results.find((r) => r.becameFinal)?.job.status).toBe('COMPLETED');
    }
    expect((await s.listJobs('org_a', 20)).every((j) => j.status === 'COMPLETED')).toBe(true);
    await s.close();
  });

  it('concurrent createJob with a quota of N accepts exactly N and counts N', async () => {
    const s = await open();
    await newOrg(s, 'org_a', 'free');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => s.createJob(newJob('org_a', `job_${i}`, 2), 5)));
    const accepted = results.filter((r) => r.created).map((r) => r.job?.id);
    expect(accepted.length).toBe(5);
    expect(results.filter((r) => 'quotaExceeded' in r && r.quotaExceeded).length).toBe(7);
    expect((await s.getOrg('org_a'))?.requestCount).toBe(5);
    expect((await s.listJobs('org_a', 20)).map((j) => j.id).sort()).toEqual([...accepted].sort());
    expect(await s.countPendingScenes()).toBe(10);
    await s.close();
  });

  it('concurrent createJob with one idempotency key: one job created and counted, every caller gets it', async () => {
    const s = await open();
    await newOrg(s);
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => s.createJob(newJob('org_a', `job_${i}`, 1, 'same-key'), null)));
    expect(results.filter((r) => r.created).length).toBe(1);
    expect(new Set(results.map((r) => r.job?.id)).size).toBe(1);
    expect((await s.getOrg('org_a'))?.requestCount).toBe(1);
    expect((await s.listJobs('org_a', 10)).length).toBe(1);
    await s.close();
  });

  it('concurrent batches and tasks share one quota: never more accepted than the limit', async () => {
    const s = await open();
    await newOrg(s, 'org_a', 'free');
    const quota = { code: 'ADS_QUOTA_EXCEEDED', message: 'Quota exceeded.' };
    const batch = (id: string) => ({
      id,
      orgId: 'org_a',
      request: {},
      webhookUrl: null,
      idempotencyKey: null,
      requestHash: null,
      rows: Array.from({ length: 3 }, (_, i) => ({ index: i, key: null, job: newJob('org_a', `${id}_j${i}`, 1), error: null })),
    });
    await Promise.all([
      s.createBatch(batch('b_1'), 7, quota),
      s.createBatch(batch('b_2'), 7, quota),
      s.createTask(newJob('org_a', 't_1', 1), { app: 'bria/ads-generate', webhookUrl: null }, 7),
      s.createTask(newJob('org_a', 't_2', 1), { app: 'bria/ads-generate', webhookUrl: null }, 7),
      s.createBatch(batch('b_3'), 7, quota),
    ]);
    expect((await s.getOrg('org_a'))?.requestCount).toBe(7);
    expect((await s.listJobs('org_a', 50)).length).toBe(7);
    const refused = (await Promise.all(['b_1', 'b_2', 'b_3'].map((b) => s.getBatchRows(b)))).flat().filter((r) => r.errorCode === 'ADS_QUOTA_EXCEEDED');
    const tasks = (await Promise.all(['t_1', 't_2'].map((t) => s.getTask(t)))).filter(Boolean);
    expect(refused.length + (2 - tasks.length)).toBe(11 - 7);
    await s.close();
  });

  it('concurrent saves on the same revision: exactly one succeeds, the other is told the latest', async () => {
    const s = await open();
    await newOrg(s);
    await s.createJob(newJob('org_a', 'job_r', 1), null);
    const rev = (file: string) => ({
      jobId: 'job_r', index: 0, revision: 1, sceneDoc: { file }, elements: [], blobKey: `revisions/${file}`, file, mimeType: 'image/png', etag: '"e"', size: 1, width: 10, height: 10,
    });
    const results = await Promise.all(['a.png', 'b.png', 'c.png', 'd.png'].map((f) => s.addSceneRevisions([rev(f)])));
    expect(results.filter((r) => r.ok).length).toBe(1);
    expect(results.filter((r) => !r.ok)).toEqual([
      { ok: false, index: 0, latest: 1 },
      { ok: false, index: 0, latest: 1 },
      { ok: false, index: 0, latest: 1 },
    ]);
    expect((await s.listSceneRevisions('job_r')).length).toBe(1);
    await s.close();
  });

  it('claims, finishes, requeues and cancels all at once: every job ends final exactly once', async () => {
    const s = await open();
    await newOrg(s);
    const jobs = Array.from({ length: 12 }, (_, j) => `job_${j}`);
    for (const id of jobs) await s.createJob(newJob('org_a', id, 3), null);
    const finals = new Map<string, number>(jobs.map((id) => [id, 0]));
    const final = (id: string) => finals.set(id, (finals.get(id) ?? 0) + 1);
    let requeued = 0;
    const worker = async (n: number) => {
      for (let i = 0; ; i++) {
        const c = await s.claimScene(60_000, 100, final);
        if (!c) return;
        // every fifth claim "crashes": the scene goes back to the queue; the others finish
        if ((i + n) % 5 === 0 && requeued < 10) {
          requeued++;
          if (await s.requeueScene(c.job.id, c.scene.index, 100)) final(c.job.id);
          continue;
        }
        const res = await s.finishScene(c.job.id, c.scene.index, i % 4 === 0 ? { status: 'failed', errorCode: 'X', errorStatus: 500, errorMessage: 'x' } : DONE);
        if (res.becameFinal) final(c.job.id);
      }
    };
    const canceller = async () => {
      for (const id of jobs.filter((_, j) => j % 3 === 0)) if (await s.cancelJob(id)) final(id);
    };
    await Promise.all([worker(0), worker(1), worker(2), canceller()]);
    expect([...finals.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    const stored = await s.listJobs('org_a', 20);
    expect(stored.filter((j) => j.status === 'IN_PROGRESS')).toEqual([]);
    for (const j of stored) {
      const scenes = await s.getScenes(j.id);
      expect(scenes.every((x) => ['done', 'failed', 'cancelled'].includes(x.status))).toBe(true);
      if (j.status === 'COMPLETED') expect(scenes.every((x) => x.status === 'done')).toBe(true);
    }
    expect(await s.countPendingScenes()).toBe(0);
    await s.close();
  });

  it('concurrent settleBatch and cancelJob: a batch becomes final once; a job is cancelled once', async () => {
    const s = await open();
    await newOrg(s);
    await s.createBatch(
      { id: 'b_1', orgId: 'org_a', request: {}, webhookUrl: null, idempotencyKey: null, requestHash: null, rows: [{ index: 0, key: null, job: newJob('org_a', 'b_1_j0', 1), error: null }] },
      null,
      { code: 'Q', message: 'q' },
    );
    await s.finishScene('b_1_j0', 0, DONE);
    const settled = await Promise.all(Array.from({ length: 4 }, () => s.settleBatch('b_1')));
    expect(settled.filter((r) => r?.becameFinal).length).toBe(1);
    expect(settled.every((r) => r?.batch.status === 'COMPLETED')).toBe(true);
    await s.createJob(newJob('org_a', 'job_c', 3), null);
    const cancels = await Promise.all(Array.from({ length: 4 }, () => s.cancelJob('job_c')));
    expect(cancels.filter(Boolean).length).toBe(1);
    await s.close();
  });
}
