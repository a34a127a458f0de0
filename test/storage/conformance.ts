import { describe, expect, it } from 'vitest';
import type { MetadataStore, NewJob } from '../../src/storage/types.js';

/** One behaviour suite for every MetadataStore adapter (sqlite now; postgres runs the same file when it lands). */
export function storeConformance(name: string, make: () => Promise<MetadataStore>): void {
  const job = (orgId: string, id: string, scenes = 2, key: string | null = null): NewJob => ({
    id,
    orgId,
    request: { template_id: '1061' },
    template: { id: '1061' },
    brand: null,
    templateRef: { kind: 'public', id: '1061', version: 1 },
    brandRef: null,
    output: { format: 'png', scale: 1 },
    webhookUrl: null,
    idempotencyKey: key,
    requestHash: 'h',
    scenes: Array.from({ length: scenes }, (_, i) => ({ index: i, token: `${id}-tok-${i}-xxxxxxxxxxxxxxxx`, key: `scene_${i + 1}`, name: `S${i}`, width: 10, height: 10, format: 'png' })),
  });
  const org = async (s: MetadataStore, id = 'org_a', plan: 'free' | 'pro' = 'pro') => s.createOrg({ id, name: id, plan, webhookSecret: 'whsec_x' });

  describe(`${name}: metadata store conformance`, () => {
    it('migrates idempotently', async () => {
      const s = await make();
      await s.migrate();
      await s.migrate();
      await s.close();
    });

    it('tokens: found by hash, revocable', async () => {
      const s = await make();
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
      const s = await make();
      expect(await s.initSetting('k', 'a')).toBe('a');
      expect(await s.initSetting('k', 'b')).toBe('a');
      await s.close();
    });

    it('assets: versions, per-org isolation, soft delete', async () => {
      const s = await make();
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
      const s = await make();
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
      const s = await make();
      await org(s);
      await s.createJob(job('org_a', 'job_1', 2), null);
      await s.createJob(job('org_a', 'job_2', 1), null);
      const c1 = await s.claimScene(60_000, 3);
      const c2 = await s.claimScene(60_000, 3);
      expect([c1?.job.id, c1?.scene.index, c2?.job.id, c2?.scene.index]).toEqual(['job_1', 0, 'job_1', 1]);
      const r1 = await s.finishScene('job_1', 0, { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 3 });
      expect(r1.becameFinal).toBe(false);
      const r2 = await s.finishScene('job_1', 1, { status: 'failed', errorCode: 'X', errorStatus: 422, errorMessage: 'bad' });
      expect(r2).toMatchObject({ becameFinal: true, job: { status: 'ERROR' } });
      // finishing twice does not change a final scene
      await s.finishScene('job_1', 0, { status: 'failed', errorCode: 'Y', errorStatus: 500, errorMessage: 'late' });
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
      const s = await make();
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

    it('cancel: open scenes cancelled, job CANCELLED, second cancel refused', async () => {
      const s = await make();
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
      const s = await make();
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

    it('webhook deliveries: due ordering and updates', async () => {
      const s = await make();
      await s.addDelivery({ id: 'm1', orgId: 'o', jobId: 'j', url: 'http://x', payload: '{}', nextAttemptAt: 10 });
      await s.addDelivery({ id: 'm2', orgId: 'o', jobId: 'j', url: 'http://x', payload: '{}', nextAttemptAt: 1000 });
      expect((await s.dueDeliveries(100, 10)).map((d) => d.id)).toEqual(['m1']);
      await s.updateDelivery('m1', { status: 'delivered', attempts: 1, nextAttemptAt: 0, lastStatusCode: 200, lastError: null });
      expect((await s.dueDeliveries(2000, 10)).map((d) => d.id)).toEqual(['m2']);
      expect((await s.listDeliveries('o', 10)).length).toBe(2);
      await s.close();
    });
  });
}
