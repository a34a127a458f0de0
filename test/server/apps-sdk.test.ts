import fs from 'node:fs';
import path from 'node:path';
import * as sdk from '@inferencesh/sdk';
import { Inference } from '@inferencesh/sdk';
import { Ajv } from 'ajv';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureDefaultOrg } from '../../src/admin/index.js';
import { sniff } from '../../src/net/sniff.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { TASK_STATUS } from '../../src/server/tasks/view.js';
import { signWebhook } from '../../src/server/jobs/webhooks.js';
import { tempDir, waitFor } from './helpers.js';
import { startReceiver } from './receiver.js';
import { freePort } from '../../src/cli/batch/embedded.js';

/**
 * Code written for the hosted `bria/ads-generate` app, run with the public
 * @inferencesh/sdk client against Adsmith: the real engine and render worker
 * threads, SQLite in a temp dir, listening on 127.0.0.1 only. Every mode the
 * SDK has — polling, NDJSON streaming, `wait: false` + webhook, a file input it
 * uploads itself — ends with the app's output schema satisfied and real PNGs.
 */
const TOKEN = 'apps-sdk-token-0123456789abcdef';
/** The SDK's own status numbers (its type declarations do not resolve under NodeNext, so they are read at run time). */
const SDK_STATUS = sdk as unknown as Record<string, number>;
const COMPLETED = SDK_STATUS['TaskStatusCompleted'] as number;
interface Task {
  id: string;
  status: number;
  input: unknown;
  output: unknown;
}
const APP = 'bria/ads-generate';
const outputSchema = JSON.parse(fs.readFileSync(new URL('../../contract/inference-app/output_schema.json', import.meta.url), 'utf8')) as object;
const validateOutput = new Ajv({ strict: false, allErrors: true, formats: { file: true } }).compile(outputSchema);

let app: Awaited<ReturnType<typeof buildApp>>['app'];
let ctx: Awaited<ReturnType<typeof buildApp>>['ctx'];
let base = '';
let dataDir = '';
let client: Inference;

/** A free loopback port, so that the server's public URL (in upload URLs and results) is the address it listens on. */
beforeAll(async () => {
  dataDir = tempDir();
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  const built = await buildApp(loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: base, workers: 2, logger: false, allowPrivateUrls: true, webhookBackoff: [0.1, 0.1] }), { webhookPollMs: 50 });
  app = built.app;
  ctx = built.ctx;
  await ensureDefaultOrg(ctx.store, TOKEN);
  await app.listen({ port, host: '127.0.0.1' });
  client = new Inference({ apiKey: TOKEN, baseUrl: base });
});
afterAll(async () => {
  await app.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const heading = (content: string) => ({ layer_type: 'text', content_type: 'Heading #1', content });

/** The task completed with the app's output: 8 scenes of template 1061, each a PNG of its announced size. */
async function expectAds(task: Pick<Task, 'status' | 'output'>): Promise<Array<{ image: string; width: number; height: number }>> {
  expect(task.status).toBe(COMPLETED);
  expect(validateOutput(task.output), JSON.stringify(validateOutput.errors)).toBe(true);
  const scenes = (task.output as { scenes: Array<{ image: string; width: number; height: number; name: string; editor_iframe: string }> }).scenes;
  expect(scenes).toHaveLength(8);
  for (const s of scenes) {
    expect(s.image.startsWith(`${base}/v1/results/`)).toBe(true);
    expect(s.editor_iframe.startsWith(`${base}/editor/`)).toBe(true);
    const res = await fetch(s.image);
    expect(res.status).toBe(200);
    const info = sniff(new Uint8Array(await res.arrayBuffer()));
    expect([info.type, info.width, info.height]).toEqual(['png', s.width, s.height]);
  }
  return scenes;
}

describe('@inferencesh/sdk against Adsmith', () => {
  it('polling: run() waits by polling GET /tasks/{id}/status and resolves with the scenes', async () => {
    const task = await client.run({ app: APP, input: { template_id: '1061', elements: [heading('Polled to the end')] } }, { stream: false, pollIntervalMs: 100 });
    await expectAds(task);
    expect(task.input).toMatchObject({ template_id: '1061', elements: [heading('Polled to the end')] });
  }, 120_000);

  it('streaming: run() follows the NDJSON stream; updates arrive while it renders, then the output', async () => {
    const updates: Task[] = [];
    const task = await client.run(
      { app: `${APP}@latest`, input: { template_id: '1061', brand_id: null, smart_image: null, content_moderation: null, elements: [heading('Streamed live'), { layer_type: 'text', content_type: 'Body #1', content: 'Each scene as it lands' }] } },
      { stream: true, onUpdate: (u: Task) => updates.push(u) },
    );
    await expectAds(task);
    expect(updates.length).toBeGreaterThanOrEqual(2);
    expect(updates[updates.length - 1]?.status).toBe(COMPLETED);
    expect(updates.some((u) => u.status !== COMPLETED)).toBe(true);
    // partial results: some update carried fewer scenes than the end
    const counts = updates.map((u) => (u.output as { scenes?: unknown[] } | null)?.scenes?.length ?? 0);
    expect(Math.min(...counts)).toBeLessThan(8);
  }, 120_000);

  it('wait: false + webhook: run() returns the queued task at once; the webhook (127.0.0.1) receives the signed result', async () => {
    const receiver = await startReceiver(200);
    const received = receiver.received;
    const hook = receiver.url('/adsmith-hook');
    try {
      const task = await client.run({ app: APP, input: { template_id: '1061', elements: [heading('Tell me when done')] }, webhook: hook }, { wait: false });
      expect(typeof task.id).toBe('string');
      expect(task.status).toBeLessThan(COMPLETED);
      const delivery = await waitFor(async () => received[0] ?? null, 60_000, 50);
      const payload = JSON.parse(delivery.body) as { id: string; status: number; output: unknown; error: string; created_at: string; updated_at: string };
      expect(payload).toMatchObject({ id: task.id, status: COMPLETED, error: '', session_id: null });
      await expectAds(payload);
      const org = await ctx.store.getOrg((await ctx.store.getTask(task.id))?.orgId ?? '');
      expect(delivery.headers['webhook-signature']).toBe(signWebhook(org?.webhookSecret ?? '', String(delivery.headers['webhook-id']), Number(delivery.headers['webhook-timestamp']), delivery.body));
      const fetched = await client.getTask(task.id);
      expect(fetched.data.status).toBe(COMPLETED);
      await new Promise((r) => setTimeout(r, 300));
      expect(received).toHaveLength(1);
    } finally {
      receiver.close();
    }
  }, 120_000);

  it('file input: the SDK uploads a local file (as a Blob) through POST /files + PUT, and the ad is made from it', async () => {
    // A solid magenta square: if the scene shows magenta, the uploaded image is what was rendered.
    const dir = tempDir();
    const local = path.join(dir, 'product.png');
    await sharp({ create: { width: 400, height: 400, channels: 3, background: { r: 255, g: 0, b: 255 } } }).png().toFile(local);
    const blob = await fs.openAsBlob(local, { type: 'image/png' });
    const task = await client.run({ app: APP, input: { template_id: '1061', elements: [heading('Made from your file'), { layer_type: 'image', content_type: 'Image #1', content: blob }] } }, { stream: true });
    const scenes = await expectAds(task);
    const used = (task.input as { elements: Array<{ content: string }> }).elements[1]?.content ?? '';
    expect(used.startsWith(`${base}/v1/files/`)).toBe(true);
    // the uploaded file is byte for byte the local one
    const stored = Buffer.from(await (await fetch(used)).arrayBuffer());
    expect(stored.equals(fs.readFileSync(local))).toBe(true);
    // and the rendered ad shows it
    const first = scenes[0] as { image: string };
    const { data, info } = await sharp(Buffer.from(await (await fetch(first.image)).arrayBuffer())).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    let magenta = 0;
    for (let i = 0; i < data.length; i += info.channels) if ((data[i] ?? 0) > 230 && (data[i + 1] ?? 255) < 30 && (data[i + 2] ?? 0) > 230) magenta++;
    expect(magenta / (info.width * info.height)).toBeGreaterThan(0.05);
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);

  it('a failed task rejects run() with the cause; cancel() cancels; errors carry the server detail', async () => {
    await expect(client.run({ app: 'someone/other-app', input: {} })).rejects.toThrow(/HTTP 404: App "someone\/other-app" is not served here\. This server runs: bria\/ads-generate, adsmith\/ads-generate/);
    await expect(client.run({ app: APP, input: { template_id: '1061', elements: [{ layer_type: 'text', content_type: 'Heading #9', content: 'x' }] } })).rejects.toThrow(
      /HTTP 400: input\.elements\[0\]\.content_type "Heading #9" is not a slot of template 1061/,
    );
    const bad = new Inference({ apiKey: 'not-a-token', baseUrl: base });
    await expect(bad.run({ app: APP, input: { template_id: '1061' } })).rejects.toThrow(/HTTP 401: Unauthorized/);
    const started = await client.run({ app: APP, input: { template_id: '1061', elements: [heading('Never mind')] } }, { wait: false });
    await client.cancel(started.id);
    const after = await client.getTask(started.id);
    expect([SDK_STATUS['TaskStatusCancelled'], COMPLETED]).toContain(after.data.status); // it may have finished first on a fast machine
  }, 120_000);

  it('the status numbers Adsmith sends are the SDK\'s', () => {
    expect(TASK_STATUS).toEqual({
      queued: SDK_STATUS['TaskStatusQueued'],
      running: SDK_STATUS['TaskStatusRunning'],
      completed: SDK_STATUS['TaskStatusCompleted'],
      failed: SDK_STATUS['TaskStatusFailed'],
      cancelled: SDK_STATUS['TaskStatusCancelled'],
    });
  });
});
