import { expect, it } from 'vitest';
import type { FileRecord, MetadataStore } from '../../src/storage/types.js';
import { DONE, ISO_TIME, newJob, newOrg, tick } from './fixtures.js';

/**
 * Conformance cases for the methods the first cases leave out, and for the exact shape of every record kind, so
 * that two adapters return the same objects (times as ISO strings, numbers as numbers, documents as stored).
 */
export function storeConformanceMore(open: () => Promise<MetadataStore>): void {
  it('settings: absent until set, then the first value', async () => {
    const s = await open();
    expect(await s.getSetting('editor_link_key')).toBeNull();
    expect(await s.initSetting('editor_link_key', 'secret-1')).toBe('secret-1');
    expect(await s.getSetting('editor_link_key')).toBe('secret-1');
    await s.close();
  });

  it('organisations: created with a zero count, listed oldest first, plan changed in place', async () => {
    const s = await open();
    const a = await newOrg(s, 'org_a', 'free');
    expect(a).toEqual({ id: 'org_a', name: 'org_a', plan: 'free', webhookSecret: 'whsec_x', requestCount: 0, createdAt: expect.stringMatching(ISO_TIME) });
    await tick();
    await newOrg(s, 'org_b');
    expect(await s.getOrg('org_none')).toBeNull();
    expect((await s.listOrgs()).map((o) => [o.id, o.plan])).toEqual([
      ['org_a', 'free'],
      ['org_b', 'pro'],
    ]);
    await s.setOrgPlan('org_a', 'unlimited');
    expect(await s.getOrg('org_a')).toEqual({ ...a, plan: 'unlimited' });
    await expect(newOrg(s, 'org_a')).rejects.toThrow();
    await s.close();
  });

  it('tokens: listed per organisation with their revocation time', async () => {
    const s = await open();
    await newOrg(s, 'org_a');
    await newOrg(s, 'org_b');
    const t1 = await s.addToken({ id: 'tok_1', orgId: 'org_a', hash: 'h1', label: 'ci' });
    expect(t1).toEqual({ id: 'tok_1', orgId: 'org_a', label: 'ci', createdAt: expect.stringMatching(ISO_TIME), revokedAt: null });
    await tick();
    await s.addToken({ id: 'tok_2', orgId: 'org_a', hash: 'h2', label: '' });
    await s.addToken({ id: 'tok_3', orgId: 'org_b', hash: 'h3', label: '' });
    // revoked by hash as well as by id
    expect(await s.revokeToken('h2')).toBe(true);
    const listed = await s.listTokens('org_a');
    expect(listed.map((t) => t.id)).toEqual(['tok_1', 'tok_2']);
    expect(listed[0]).toEqual(t1);
    expect(listed[1]?.revokedAt).toMatch(ISO_TIME);
    expect(await s.listTokens('org_none')).toEqual([]);
    await expect(s.addToken({ id: 'tok_4', orgId: 'org_a', hash: 'h1', label: '' })).rejects.toThrow();
    await s.close();
  });

  it('countRequest: counts up to the limit, then refuses without counting; no limit counts on; unknown org refused', async () => {
    const s = await open();
    await newOrg(s, 'org_a', 'free');
    expect(await s.countRequest('org_a', 2)).toBe(true);
    expect(await s.countRequest('org_a', 2)).toBe(true);
    expect(await s.countRequest('org_a', 2)).toBe(false);
    expect((await s.getOrg('org_a'))?.requestCount).toBe(2);
    expect(await s.countRequest('org_a', null)).toBe(true);
    expect((await s.getOrg('org_a'))?.requestCount).toBe(3);
    expect(await s.countRequest('org_none', null)).toBe(false);
    await s.close();
  });

  it('assets: every version listed with its time, gone once deleted; the record shape', async () => {
    const s = await open();
    await newOrg(s);
    const a = await s.createAsset('org_a', 'brand', { name: 'B', description: 'first', document: { colors: ['#fff'], nested: { n: 1.5 } } });
    expect(a).toEqual({
      id: expect.any(Number),
      orgId: 'org_a',
      kind: 'brand',
      name: 'B',
      description: 'first',
      version: 1,
      document: { colors: ['#fff'], nested: { n: 1.5 }, id: String(a.id) },
      createdAt: expect.stringMatching(ISO_TIME),
      updatedAt: expect.stringMatching(ISO_TIME),
    });
    const second = await s.createAsset('org_a', 'brand', { name: 'C', description: '', document: { v: 0 } });
    expect(second.id).toBeGreaterThan(a.id);
    await s.updateAsset('org_a', 'brand', a.id, { name: 'B2', description: 'second', document: { colors: [] } });
    const versions = await s.listAssetVersions('org_a', 'brand', a.id);
    expect(versions.map((v) => v.version)).toEqual([1, 2]);
    for (const v of versions) expect(v.createdAt).toMatch(ISO_TIME);
    expect(await s.listAssetVersions('org_a', 'template', a.id)).toEqual([]);
    expect((await s.listAssets('org_a', 'brand')).map((x) => [x.id, x.name, x.version])).toEqual([
      [a.id, 'B2', 2],
      [second.id, 'C', 1],
    ]);
    expect(await s.getAsset('org_a', 'brand', a.id, 3)).toBeNull();
    expect(await s.deleteAsset('org_a', 'brand', a.id)).toBe(true);
    expect(await s.listAssetVersions('org_a', 'brand', a.id)).toEqual([]);
    expect(await s.getAsset('org_a', 'brand', a.id, 1)).toBeNull();
    expect(await s.deleteAsset('org_a', 'brand', a.id)).toBe(false);
    await s.close();
  });

  it('files: stored as given, listed per organisation oldest first, deleted only by their owner', async () => {
    const s = await open();
    await newOrg(s, 'org_a');
    await newOrg(s, 'org_b');
    const file = (id: string, orgId: string, createdAt: string): FileRecord => ({
      id,
      orgId,
      filename: `${id}.png`,
      mimeType: 'image/png',
      size: 3_000_000_000,
      blobKey: `files/${id}`,
      createdAt,
    });
    const f1 = file('f_1', 'org_a', '2026-01-02T03:04:05.678Z');
    const f2 = file('f_2', 'org_a', '2026-01-02T03:04:06.000Z');
    await s.addFile(f2);
    await s.addFile(f1);
    await s.addFile(file('f_3', 'org_b', '2026-01-01T00:00:00.000Z'));
    expect(await s.getFile('f_1')).toEqual(f1);
    expect(await s.getFile('f_none')).toBeNull();
    expect(await s.listFiles('org_a')).toEqual([f1, f2]);
    await expect(s.addFile(f1)).rejects.toThrow();
    expect(await s.deleteFile('org_b', 'f_1')).toBeNull();
    expect(await s.deleteFile('org_a', 'f_1')).toEqual(f1);
    expect(await s.getFile('f_1')).toBeNull();
    expect(await s.deleteFile('org_a', 'f_1')).toBeNull();
    expect((await s.listFiles('org_a')).map((f) => f.id)).toEqual(['f_2']);
    await s.close();
  });

  it('jobs: the record as accepted, found by idempotency key, listed newest first; scenes found by token', async () => {
    const s = await open();
    await newOrg(s, 'org_a');
    await newOrg(s, 'org_b');
    const withBrand = {
      ...newJob('org_a', 'job_1', 2, 'idem-1'),
      request: { template_id: '10001', brand_id: '10002', elements: [{ content_type: 'Heading #1', content: 'Ünïcødé ✓ 日本' }], sync: false },
      template: { id: '10001', scenes: [{ name: 'S', width: 1080, height: 1080 }] },
      brand: { id: '10002', colors: ['#112233'] },
      templateRef: { kind: 'private' as const, id: '10001', version: 3 },
      brandRef: { kind: 'private' as const, id: '10002', version: 1 },
      output: { format: 'jpeg' as const, scale: 2 as const, maxKb: 300 },
      webhookUrl: 'http://127.0.0.1:9/hook',
      requestId: 'req-7f3a',
    };
    const made = await s.createJob(withBrand, null);
    expect(made.created).toBe(true);
    const expected = {
      id: 'job_1',
      orgId: 'org_a',
      status: 'IN_PROGRESS',
      request: withBrand.request,
      template: withBrand.template,
      brand: withBrand.brand,
      templateRef: withBrand.templateRef,
      brandRef: withBrand.brandRef,
      output: withBrand.output,
      webhookUrl: 'http://127.0.0.1:9/hook',
      idempotencyKey: 'idem-1',
      requestHash: 'h',
      requestId: 'req-7f3a',
      error: null,
      createdAt: expect.stringMatching(ISO_TIME),
      updatedAt: expect.stringMatching(ISO_TIME),
    };
    expect(made.job).toEqual(expected);
    expect(await s.getJob('job_1')).toEqual(expected);
    expect(await s.findJobByIdempotencyKey('org_a', 'idem-1')).toEqual(expected);
    expect(await s.findJobByIdempotencyKey('org_b', 'idem-1')).toBeNull();
    expect(await s.findJobByIdempotencyKey('org_a', 'idem-2')).toBeNull();
    await s.createJob(newJob('org_a', 'job_2', 1), null);
    // created outside an HTTP request (admin CLI, tests): no request id
    expect((await s.getJob('job_2'))?.requestId).toBeNull();
    await s.createJob(newJob('org_a', 'job_3', 1), null);
    await s.createJob(newJob('org_b', 'job_4', 1), null);
    expect((await s.listJobs('org_a', 10)).map((j) => j.id)).toEqual(['job_3', 'job_2', 'job_1']);
    expect((await s.listJobs('org_a', 2)).map((j) => j.id)).toEqual(['job_3', 'job_2']);
    expect(await s.listJobs('org_none', 10)).toEqual([]);
    const scene = await s.getSceneByToken('job_1-tok-1-xxxxxxxxxxxxxxxx');
    expect(scene).toEqual({
      jobId: 'job_1',
      index: 1,
      token: 'job_1-tok-1-xxxxxxxxxxxxxxxx',
      key: 'scene_2',
      name: 'S1',
      width: 10,
      height: 10,
      format: 'png',
      status: 'pending',
      attempts: 0,
      blobKey: null,
      mimeType: null,
      etag: null,
      size: null,
      errorCode: null,
      errorStatus: null,
      errorMessage: null,
      warnings: [],
      updatedAt: expect.stringMatching(ISO_TIME),
    });
    expect(await s.getSceneByToken('no-such-token')).toBeNull();
    await s.close();
  });

  it('scenes: outcomes recorded with their fields (done, moderated with warnings, failed); the job error counts failures', async () => {
    const s = await open();
    await newOrg(s);
    await s.createJob(newJob('org_a', 'job_1', 3), null);
    await s.finishScene('job_1', 0, { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 3, warnings: ['font Foo fell back to Inter'] });
    await s.finishScene('job_1', 1, { status: 'moderated', blobKey: 'mod', mimeType: 'image/png', etag: '"m"' });
    const last = await s.finishScene('job_1', 2, { status: 'failed', errorCode: 'ADS_IMAGE_UNAVAILABLE', errorStatus: 422, errorMessage: 'The image could not be fetched.' });
    expect(last.becameFinal).toBe(true);
    expect(last.job).toMatchObject({ status: 'ERROR', error: "1 of 3 scenes failed; GET each scene's url for the cause." });
    const [done, moderated, failed] = await s.getScenes('job_1');
    expect(done).toMatchObject({ status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 3, warnings: ['font Foo fell back to Inter'], errorCode: null });
    expect(moderated).toMatchObject({ status: 'moderated', blobKey: 'mod', etag: '"m"', size: 0, warnings: [] });
    expect(failed).toMatchObject({ status: 'failed', blobKey: null, errorCode: 'ADS_IMAGE_UNAVAILABLE', errorStatus: 422, errorMessage: 'The image could not be fetched.' });
    await s.createJob(newJob('org_a', 'job_2', 1), null);
    expect(await s.finishScene('job_2', 0, DONE)).toMatchObject({ becameFinal: true, job: { status: 'COMPLETED', error: null } });
    await expect(s.finishScene('job_none', 0, DONE)).rejects.toThrow();
    await s.close();
  });

  it('requeueScene: a rendering scene goes back to pending; past maxAttempts it fails and settles the job; others untouched', async () => {
    const s = await open();
    await newOrg(s);
    await s.createJob(newJob('org_a', 'job_1', 2), null);
    expect(await s.requeueScene('job_1', 0, 3)).toBe(false); // pending: nothing to requeue
    expect(await s.countPendingScenes()).toBe(2);
    const first = await s.claimScene(60_000, 3);
    expect(first?.scene).toMatchObject({ jobId: 'job_1', index: 0, status: 'rendering', attempts: 1 });
    expect(await s.countPendingScenes()).toBe(2); // rendering still counts as not done
    expect(await s.requeueScene('job_1', 0, 3)).toBe(false);
    expect((await s.getScenes('job_1'))[0]).toMatchObject({ status: 'pending', attempts: 1 });
    // claimed again at once: the requeued scene is the oldest open one
    expect((await s.claimScene(60_000, 3))?.scene).toMatchObject({ index: 0, attempts: 2 });
    await s.finishScene('job_1', 1, DONE);
    expect(await s.requeueScene('job_1', 0, 2)).toBe(true);
    expect((await s.getScenes('job_1'))[0]).toMatchObject({ status: 'failed', errorCode: 'ADS_RENDER_INTERRUPTED', errorStatus: 500 });
    expect((await s.getJob('job_1'))?.status).toBe('ERROR');
    expect(await s.requeueScene('job_1', 0, 2)).toBe(false);
    expect(await s.countPendingScenes()).toBe(0);
    await s.close();
  });

  it('claimableScenes: pending scenes and rendering ones whose lease expired, oldest job first, up to the limit', async () => {
    const s = await open();
    await newOrg(s);
    await s.createJob(newJob('org_a', 'job_1', 3), null);
    await s.createJob(newJob('org_a', 'job_2', 1), null);
    expect(await s.claimableScenes(10)).toEqual([
      { jobId: 'job_1', index: 0, orgId: 'org_a' },
      { jobId: 'job_1', index: 1, orgId: 'org_a' },
      { jobId: 'job_1', index: 2, orgId: 'org_a' },
      { jobId: 'job_2', index: 0, orgId: 'org_a' },
    ]);
    expect(await s.claimableScenes(2)).toEqual([
      { jobId: 'job_1', index: 0, orgId: 'org_a' },
      { jobId: 'job_1', index: 1, orgId: 'org_a' },
    ]);
    await s.claimSceneAt('job_1', 0, 60_000, 3); // held: not claimable
    await s.claimSceneAt('job_1', 1, 1, 3); // its lease runs out at once
    await s.finishScene('job_1', 2, DONE);
    await tick();
    expect(await s.claimableScenes(10)).toEqual([
      { jobId: 'job_1', index: 1, orgId: 'org_a' },
      { jobId: 'job_2', index: 0, orgId: 'org_a' },
    ]);
    await s.cancelJob('job_2');
    expect(await s.claimableScenes(10)).toEqual([{ jobId: 'job_1', index: 1, orgId: 'org_a' }]);
    await s.close();
  });

  it('claimSceneAt: takes the scene named, pending or rendering, one attempt more each time; past maxAttempts fails it', async () => {
    const s = await open();
    await newOrg(s);
    await s.createJob(newJob('org_a', 'job_1', 2), null);
    const first = await s.claimSceneAt('job_1', 1, 60_000, 3);
    expect(first).toEqual({ claimed: { job: expect.objectContaining({ id: 'job_1', status: 'IN_PROGRESS' }), scene: expect.objectContaining({ jobId: 'job_1', index: 1, status: 'rendering', attempts: 1 }) }, becameFinal: false });
    // the queue handed it out again (its holder stopped): taken whatever its lease
    expect((await s.claimSceneAt('job_1', 1, 60_000, 3)).claimed?.scene.attempts).toBe(2);
    // two holders at once (a queue's lock lost): each attempt is counted
    const both = await Promise.all([s.claimSceneAt('job_1', 0, 60_000, 5), s.claimSceneAt('job_1', 0, 60_000, 5)]);
    expect(both.map((x) => x.claimed?.scene.attempts).sort()).toEqual([1, 2]);
    expect(await s.claimSceneAt('job_1', 7, 60_000, 3)).toEqual({ claimed: null, becameFinal: false });
    expect(await s.claimSceneAt('job_none', 0, 60_000, 3)).toEqual({ claimed: null, becameFinal: false });
    await s.finishScene('job_1', 0, DONE);
    expect(await s.claimSceneAt('job_1', 0, 60_000, 3)).toEqual({ claimed: null, becameFinal: false });
    // scene 1 used 2 attempts of 2: failed instead, and it was the job's last open scene
    expect(await s.claimSceneAt('job_1', 1, 60_000, 2)).toEqual({ claimed: null, becameFinal: true });
    expect((await s.getScenes('job_1'))[1]).toMatchObject({ status: 'failed', errorCode: 'ADS_RENDER_INTERRUPTED' });
    expect((await s.getJob('job_1'))?.status).toBe('ERROR');
    // a scene taken by claimSceneAt is not handed out again by claimScene while its lease runs
    await s.createJob(newJob('org_a', 'job_2', 1), null);
    await s.claimSceneAt('job_2', 0, 60_000, 3);
    expect(await s.claimScene(60_000, 3)).toBeNull();
    await s.close();
  });

  it('batches and tasks: record shapes; tasks with jobs refused by quota write nothing', async () => {
    const s = await open();
    await newOrg(s);
    const made = await s.createBatch(
      {
        id: 'b_1',
        orgId: 'org_a',
        request: { template_id: '1061', options: { format: 'webp' } },
        webhookUrl: 'http://127.0.0.1:9/b',
        idempotencyKey: 'bk',
        requestHash: 'rh',
        rows: [{ index: 0, key: 'r0', job: newJob('org_a', 'b_1_j0', 1), error: null }],
      },
      null,
      { code: 'Q', message: 'q' },
    );
    const batch = {
      id: 'b_1',
      orgId: 'org_a',
      status: 'IN_PROGRESS',
      request: { template_id: '1061', options: { format: 'webp' } },
      webhookUrl: 'http://127.0.0.1:9/b',
      idempotencyKey: 'bk',
      requestHash: 'rh',
      rowsTotal: 1,
      createdAt: expect.stringMatching(ISO_TIME),
      updatedAt: expect.stringMatching(ISO_TIME),
    };
    expect(made).toEqual({ created: true, batch });
    expect(await s.getBatch('b_1')).toEqual(batch);
    expect(await s.getBatch('b_none')).toBeNull();
    expect(await s.getBatchRows('b_1')).toEqual([
      { index: 0, key: 'r0', jobId: 'b_1_j0', jobStatus: 'IN_PROGRESS', errorCode: null, errorMessage: null, jobError: null, scenesTotal: 1, scenesFinal: 0, scenesStarted: 0, updatedAt: expect.stringMatching(ISO_TIME) },
    ]);
    expect(await s.getBatchRows('b_none')).toEqual([]);
    expect((await s.getBatchScenes('b_none')).size).toBe(0);
    const task = await s.createTask(newJob('org_a', 'job_t', 1), { app: 'bria/ads-generate', webhookUrl: null }, null);
    expect(task).toEqual({
      job: expect.objectContaining({ id: 'job_t', status: 'IN_PROGRESS' }),
      task: { jobId: 'job_t', orgId: 'org_a', app: 'bria/ads-generate', webhookUrl: null, createdAt: expect.stringMatching(ISO_TIME) },
    });
    await s.close();
  });

  it('webhook deliveries: the record as added and as updated; listed newest first', async () => {
    const s = await open();
    await s.addDelivery({ id: 'd1', orgId: 'o', jobId: 'j1', url: 'http://127.0.0.1:9/hook', payload: '{"type":"job.completed"}', nextAttemptAt: 1_767_225_600_000 });
    const added = {
      id: 'd1',
      orgId: 'o',
      jobId: 'j1',
      url: 'http://127.0.0.1:9/hook',
      payload: '{"type":"job.completed"}',
      status: 'pending',
      attempts: 0,
      nextAttemptAt: 1_767_225_600_000,
      lastStatusCode: null,
      lastError: null,
      createdAt: expect.stringMatching(ISO_TIME),
      updatedAt: expect.stringMatching(ISO_TIME),
    };
    expect(await s.getDelivery('d1')).toEqual(added);
    expect(await s.getDelivery('d_none')).toBeNull();
    await s.updateDelivery('d1', { status: 'failed', attempts: 8, nextAttemptAt: 1_767_225_700_000, lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(await s.getDelivery('d1')).toEqual({ ...added, status: 'failed', attempts: 8, nextAttemptAt: 1_767_225_700_000, lastStatusCode: 503, lastError: 'HTTP 503' });
    expect(await s.dueDeliveries(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    await tick();
    await s.addDelivery({ id: 'd2', orgId: 'o', jobId: 'j2', url: 'http://127.0.0.1:9/hook', payload: '{}', nextAttemptAt: 5 });
    await s.addDelivery({ id: 'd3', orgId: 'other', jobId: 'j3', url: 'http://127.0.0.1:9/hook', payload: '{}', nextAttemptAt: 1 });
    expect((await s.listDeliveries('o', 10)).map((d) => d.id)).toEqual(['d2', 'd1']);
    expect((await s.listDeliveries('o', 1)).map((d) => d.id)).toEqual(['d2']);
    expect((await s.dueDeliveries(10, 1)).map((d) => d.id)).toEqual(['d3']);
    await s.close();
  });
}
