import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from './server.js';

const run = promisify(execFile);
const ROOT = path.resolve(import.meta.dirname, '../..');
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

/**
 * The compiled client as an ES module in real Chromium, served from one
 * loopback origin, calling the real API on another (so CORS is exercised):
 * a generation with a Blob upload, progress over SSE, result images.
 */
let api: TestServer;
let page: { url: string; close: () => Promise<void> };
let browser: Browser;
let outDir = '';

beforeAll(async () => {
  outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-client-browser-'));
  await run(process.execPath, [path.join(ROOT, 'node_modules/typescript/bin/tsc'), '-p', 'tsconfig.client.json', '--outDir', outDir], { cwd: ROOT });
  api = await startServer({ workers: 2 });
  // The page's origin: index.html and /client/*.js from the build.
  const site = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname === '/') return void res.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><title>adsmith client</title>');
    if (url.pathname === '/favicon.ico') return void res.writeHead(204).end();
    const file = path.join(outDir, url.pathname.replace(/^\/client\//, ''));
    if (!url.pathname.startsWith('/client/') || !file.startsWith(outDir) || !fs.existsSync(file)) return void res.writeHead(404).end();
    res.writeHead(200, { 'content-type': file.endsWith('.js') ? 'text/javascript' : 'application/json' }).end(fs.readFileSync(file));
  });
  await new Promise<void>((r) => site.listen(0, '127.0.0.1', r));
  page = { url: `http://127.0.0.1:${(site.address() as AddressInfo).port}/`, close: () => new Promise((r) => site.close(() => r())) };
  // scripts/check-test-prereqs.mjs (npm test's pretest) makes sure this browser is there, or stops saying how to get it.
  browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: LAUNCH_ARGS });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await page?.close();
  await api?.close();
  fs.rmSync(outDir, { recursive: true, force: true });
});

describe('adsmith/client in Chromium', () => {
  it('generates with a Blob upload, reports progress, fetches the images; typed errors and verifyWebhook work', async () => {
    const tab = await browser.newPage();
    const consoleErrors: string[] = [];
    tab.on('console', (m) => m.type() === 'error' && consoleErrors.push(`${m.text()} ${m.location().url}`));
    await tab.goto(page.url);
    // A string, not a function: the test runner must not rewrite the page's import().
    const result = (await tab.evaluate(`(async () => {
      const { Adsmith, BadRequestError, AuthError, verifyWebhook } = await import('/client/index.js');
      const adsmith = new Adsmith({ apiKey: ${JSON.stringify(api.token)}, baseUrl: ${JSON.stringify(api.url)} });

      // A real PNG made in the page.
      const canvas = new OffscreenCanvas(640, 480);
      const g = canvas.getContext('2d');
      g.fillStyle = '#d04020'; g.fillRect(0, 0, 640, 480);
      g.fillStyle = '#ffffff'; g.fillRect(200, 120, 240, 240);
      const photo = await canvas.convertToBlob({ type: 'image/png' });

      const updates = [];
      const ad = await adsmith.generate(
        { template_id: '1062', brand_id: '121', elements: [{ content_type: 'Heading #1', content: 'Made in a browser' }, { content_type: 'Image #1', content: photo }] },
        { onProgress: (p) => updates.push([p.status, p.scenes_done]) },
      );
      // The progress stream itself is readable cross-origin (the client would otherwise fall back to polling silently).
      const events = await fetch(${JSON.stringify(api.url)} + '/v1/jobs/' + ad.request_id + '/events', { headers: { authorization: 'Bearer ' + ${JSON.stringify(api.token)} } })
        .then((r) => r.text(), (e) => 'failed: ' + e.message);
      const first = await ad.scenes[0].blob();
      const bitmap = await createImageBitmap(first);

      const streamed = [];
      for await (const p of adsmith.stream({ template_id: '1061' })) streamed.push(p.done);

      const path = await adsmith.generate({ template_id: '1061', elements: [{ content_type: 'Image #1', content: './photo.jpg' }] }).catch((e) => e);
      const auth = await new Adsmith({ apiKey: 'wrong-token-0000000000', baseUrl: ${JSON.stringify(api.url)} }).templates.list().catch((e) => e);
      const vector = await verifyWebhook(
        { 'webhook-id': 'msg_p5jXN8AQM9LWM0D4loKWxJek', 'webhook-timestamp': '1614265330', 'webhook-signature': 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=' },
        '{"test": 2432232314}', 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', { now: 1614265330 * 1000 },
      );
      return {
        status: ad.status,
        scenes: ad.scenes.map((s) => [s.key, s.width, s.height, s.status]),
        firstType: first.type, bitmap: [bitmap.width, bitmap.height],
        updates, streamed, events,
        pathError: [path instanceof BadRequestError, path.code, path.message],
        authError: [auth instanceof AuthError, auth.status],
        vector,
        uploaded: (await adsmith.files.list()).length,
      };
    })()`)) as {
      status: string;
      scenes: Array<[string, number, number, string]>;
      firstType: string;
      bitmap: [number, number];
      updates: Array<[string, number]>;
      streamed: boolean[];
      events: string;
      pathError: [boolean, string, string];
      authError: [boolean, number];
      vector: unknown;
      uploaded: number;
    };
    expect(result.status).toBe('COMPLETED');
    expect(result.scenes).toHaveLength(8);
    expect(result.scenes.every((s) => s[3] === 'done')).toBe(true);
    expect(result.firstType).toBe('image/png');
    expect(result.bitmap).toEqual([result.scenes[0]![1], result.scenes[0]![2]]);
    expect(result.updates.at(-1)).toEqual(['COMPLETED', 8]);
    expect(result.streamed.at(-1)).toBe(true);
    expect(result.events).toMatch(/^event: done\ndata: \{"request_id":"job_/);
    expect(result.pathError[0]).toBe(true);
    expect(result.pathError[1]).toBe('ADS_LOCAL_PATH_IN_BROWSER');
    expect(result.pathError[2]).toMatch(/^elements\[0\]\.content "\.\/photo\.jpg" looks like a local file path, which a browser cannot read/);
    expect(result.authError).toEqual([true, 401]);
    expect(result.vector).toEqual({ test: 2432232314 });
    expect(result.uploaded).toBe(1);
    // The job the browser made used the uploaded Blob.
    const jobs = await api.ctx.store.listJobs((await api.ctx.store.findOrgByTokenHash((await import('../../src/common/ids.js')).hashToken(api.token)))!.id, 10);
    const withPhoto = await api.ctx.store.getJob(jobs.at(-1)!.id);
    expect(JSON.stringify(withPhoto!.request)).toContain(`${api.url}/v1/files/`);
    // CORS failures show up as console errors; there must be none except the deliberate 401.
    expect(consoleErrors.filter((e) => !/401/.test(e))).toEqual([]);
    await tab.close();
  }, 120_000);
});
