import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Adsmith, BadRequestError, RenderError, UnprocessableError, verifyWebhook, type Progress } from '../../src/client/index.js';
import { LIFESTYLE_JPG, PRODUCT_PNG, receiver, startServer, type TestServer } from './server.js';

/** generate / stream / wait:false against the real server (real engine, worker threads) on 127.0.0.1. */
let s: TestServer;
let adsmith: Adsmith;
beforeAll(async () => {
  s = await startServer({ workers: 2 });
  adsmith = new Adsmith({ apiKey: s.token, baseUrl: s.url });
});
afterAll(async () => s.close());

const jobCount = async () => (await adsmith.jobs.list()).length;

describe('generate', () => {
  it('waits for every scene and gives each image at its announced size; progress is reported as scenes finish', async () => {
    const updates: Progress[] = [];
    const result = await adsmith.generate(
      { template_id: '1062', brand_id: '167', elements: [{ content_type: 'Heading #1', content: 'Summer sale' }] },
      { onProgress: (p) => updates.push(p) },
    );
    expect(result.status).toBe('COMPLETED');
    expect(result.scenes).toHaveLength(8);
    expect(result.scenes.map((x) => x.key)).toEqual(Array.from({ length: 8 }, (_, i) => `scene_${i + 1}`));
    for (const scene of result.scenes) {
      expect(scene.status).toBe('done');
      expect(scene.url.startsWith(`${s.url}/v1/results/`)).toBe(true);
      expect(scene.editor_iframe.startsWith(`${s.url}/editor/${result.request_id}/`)).toBe(true);
      const meta = await sharp(await scene.bytes()).metadata();
      expect([meta.format, meta.width, meta.height]).toEqual(['png', scene.width, scene.height]);
    }
    expect(result.scenes[0]).toMatchObject({ name: 'Instagram post 1080×1080', width: 1080, height: 1080 });
    // Progress: ends with the final state, never goes backwards.
    expect(updates.at(-1)).toMatchObject({ done: true, status: 'COMPLETED', scenes_done: 8, progress: 100 });
    for (let i = 1; i < updates.length; i++) expect(updates[i]!.scenes_done).toBeGreaterThanOrEqual(updates[i - 1]!.scenes_done);
    const blob = await result.scenes[5]!.blob();
    expect(blob.type).toBe('image/png');
  });

  it('uploads a local path, bytes, a Blob and a data: URI wherever an image goes, then renders them', async () => {
    const before = (await adsmith.files.list()).length;
    const png = fs.readFileSync(PRODUCT_PNG);
    const dataUri = `data:image/jpeg;base64,${fs.readFileSync(LIFESTYLE_JPG).toString('base64')}`;
    const result = await adsmith.generate({
      template_id: '1062',
      brand_id: '121',
      output_format: 'jpeg',
      elements: [
        { content_type: 'Image #1', content: LIFESTYLE_JPG },
        { id: 's2-photo', content: new Uint8Array(png) },
        { id: 's3-photo', content: new Blob([png], { type: 'image/png' }) },
        { id: 's4-photo', content: dataUri },
        { content_type: 'Heading #1', content: './not/a/path/just/text' },
      ],
    });
    expect(result.status).toBe('COMPLETED');
    const files = await adsmith.files.list();
    expect(files.length - before).toBe(4);
    // The job was sent URLs of the uploads, not the local inputs.
    const job = (await s.ctx.store.getJob(result.request_id))!;
    const sent = (job.request as { elements: Array<{ content: string }> }).elements.map((e) => e.content);
    expect(sent.slice(0, 4).every((c) => c.startsWith(`${s.url}/v1/files/`))).toBe(true);
    expect(sent[4]).toBe('./not/a/path/just/text');
    const first = await sharp(await result.scenes[0]!.bytes()).metadata();
    expect([first.format, first.width, first.height]).toEqual(['jpeg', 1080, 1080]);
  });

  it('a local file that does not exist: BadRequestError naming the parameter and the path; nothing is sent', async () => {
    const jobs = await jobCount();
    const err = await adsmith.generate({ template_id: '1061', elements: [{ content_type: 'Image #1', content: './missing/photo.jpg' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect((err as Error).message).toBe('elements[0].content: cannot read the file ./missing/photo.jpg (no such file). Give an existing image file, an http(s) URL or a data: URI.');
    const smart = await adsmith.generate({ template_id: '1061', smart_image: { input_image_url: '/nope/product.png' } }).catch((e: unknown) => e);
    expect((smart as Error).message).toMatch(/^smart_image\.input_image_url: cannot read the file \/nope\/product\.png \(no such file\)/);
    expect(await jobCount()).toBe(jobs);
  });

  it('scenes that fail carry their error and the rest resolve; a job with no image at all rejects with RenderError and the cause\'s status', async () => {
    // No JPEG of the large scenes fits in 8 KB; the small banners do.
    const partial = await adsmith.generate({ template_id: '1061', output_format: 'jpeg', max_kb: 8 });
    expect(partial.status).toBe('ERROR');
    const failed = partial.scenes.filter((x) => x.status === 'failed');
    const done = partial.scenes.filter((x) => x.status === 'done');
    expect(done.length).toBeGreaterThan(0);
    expect(failed.length).toBeGreaterThan(0);
    expect(failed[0]!.error).toMatchObject({ code: 'ADS_BUDGET_UNREACHABLE' });
    expect(failed[0]!.error!.message).toMatch(/cannot fit in 8 KB as jpeg .* Raise max_kb/);
    expect((await done[0]!.bytes()).byteLength).toBeLessThanOrEqual(8 * 1024);
    await expect(failed[0]!.bytes()).rejects.toBeInstanceOf(UnprocessableError);

    const none = await adsmith.generate({ template_id: '1061', output_format: 'jpeg', max_kb: 1 }).catch((e: unknown) => e);
    expect(none).toBeInstanceOf(RenderError);
    expect(none).toMatchObject({ status: 422, code: 'ADS_BUDGET_UNREACHABLE', scene: 'scene_1' });
    expect((none as Error).message).toMatch(/^Job job_\S+ failed: scene_1 \(Instagram post 1080×1080\): Scene "Instagram post 1080×1080" cannot fit in 1 KB/);
  }, 120_000);

  it('stream() yields updates as they arrive, the last one final', async () => {
    const seen: Progress[] = [];
    for await (const p of adsmith.stream({ template_id: '1061', elements: [{ content_type: 'Heading #1', content: 'Streamed' }] })) seen.push(p);
    expect(seen.length).toBeGreaterThan(1);
    expect(seen.slice(0, -1).every((p) => !p.done)).toBe(true);
    expect(seen.at(-1)).toMatchObject({ done: true, status: 'COMPLETED', scenes_total: 8, scenes_done: 8 });
    expect(seen.at(-1)!.scenes.every((x) => x.status === 'done')).toBe(true);
  });

  it('wait: false with a webhook resolves at once to the job; the signed webhook verifies with the org secret', async () => {
    const rx = await receiver();
    try {
      const job = await adsmith.generate({ template_id: '1061', webhook_url: rx.url }, { wait: false });
      expect(job.id).toMatch(/^job_/);
      expect(job.statusUrl).toBe(`${s.url}/v1/jobs/${job.id}`);
      expect(job.initial.scenes).toHaveLength(8);
      expect(job.initial.done).toBe(false);
      const done = await job.wait();
      expect(done.status).toBe('COMPLETED');
      const deadline = Date.now() + 10_000;
      while (rx.calls.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      const call = rx.calls[0]!;
      const { webhook_secret } = await adsmith.org();
      const payload = await verifyWebhook(call.headers, call.body, webhook_secret);
      expect(payload).toMatchObject({ id: job.id, status: 'COMPLETED', type: 'job.completed' });
      expect(payload.output.result).toHaveLength(8);
      await expect(verifyWebhook(call.headers, call.body.replace('COMPLETED', 'ERROR'), webhook_secret)).rejects.toThrow(/No webhook signature matches/);
    } finally {
      await rx.close();
    }
  });

  it('aborting the signal rejects with the abort reason and cancels the job on the server', async () => {
    const controller = new AbortController();
    let jobId = '';
    const pending = adsmith.generate(
      { template_id: '1062', brand_id: '166', scale: 2 },
      {
        signal: controller.signal,
        // Give up as soon as the job is known to be running.
        onProgress: (p) => {
          jobId = p.request_id;
          controller.abort(new Error('user gave up'));
        },
      },
    );
    await expect(pending).rejects.toThrow('user gave up');
    expect(jobId).toMatch(/^job_/);
    const deadline = Date.now() + 10_000;
    let status = (await adsmith.jobs.get(jobId)).status;
    while (status === 'IN_PROGRESS' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      status = (await adsmith.jobs.get(jobId)).status;
    }
    expect(status).toBe('CANCELLED');
  });
});
