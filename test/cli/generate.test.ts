import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, PRODUCT_PNG, receiver, startServer, type TestServer } from '../client/server.js';

const BIN = fileURLToPath(new URL('../../bin/adsmith.js', import.meta.url));

/** Runs the real `adsmith` command (a child process) with a clean environment plus `env`. */
function adsmith(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 120_000, env: { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir(), ...env } }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

const outDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-gen-'));

let s: TestServer;
beforeAll(async () => {
  s = await startServer({ workers: 2 });
});
afterAll(async () => s.close());

describe('adsmith generate (against a real server on 127.0.0.1)', () => {
  it('renders every scene on the server and saves them; --json lists files; progress lines on a pipe', async () => {
    const out = outDir();
    const res = await adsmith(['generate', '--server', s.url, '--token', s.token, '-t', '1062', '-b', '167', '--set', 'Heading #1=Hello from the shell', '--set', `Image #1=${PRODUCT_PNG}`, '--out', out, '--json']);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as { request_id: string; status: string; scenes: Array<{ key: string; file: string; width: number; height: number; status: string; editor_iframe: string }> };
    expect(report.status).toBe('COMPLETED');
    expect(report.scenes).toHaveLength(8);
    expect(fs.readdirSync(out).sort()[0]).toBe('01-instagram-post-1080x1080.png');
    for (const scene of report.scenes) {
      const meta = await sharp(scene.file).metadata();
      expect([meta.width, meta.height]).toEqual([scene.width, scene.height]);
      expect(scene.editor_iframe).toContain(`/editor/${report.request_id}/`);
    }
    // --json keeps stderr free of progress; without it, a pipe gets one line per scene change.
    expect(res.stderr).toBe('');
    const plain = await adsmith(['generate', '-t', '1061', '--out', outDir()], { ADSMITH_SERVER: s.url, ADSMITH_TOKEN: s.token });
    expect(plain.code, plain.stderr).toBe(0);
    expect(plain.stderr).toMatch(/^\[\d\/8\] #1 {2}Instagram post 1080×1080: (rendering|done)$/m);
    expect(plain.stderr).toMatch(/^\[8\/8\] .*: done$/m);
    expect(plain.stdout.trim().split('\n')).toHaveLength(8);
  }, 120_000);

  it('on a terminal: a live bar per scene (run under a pseudo-terminal with script(1))', async () => {
    const out = outDir();
    // A wide terminal, so that the bars are not cut at 80 columns.
    const command = `stty cols 200 2>/dev/null; ${[process.execPath, BIN, 'generate', '--server', s.url, '--token', s.token, '-t', '1061', '--out', out].map((a) => `'${a}'`).join(' ')}`;
    const res = await new Promise<{ code: number; stdout: string }>((resolve) =>
      execFile('script', ['-qec', command, '/dev/null'], { timeout: 120_000, env: { PATH: process.env['PATH'] ?? '', TERM: 'xterm', COLUMNS: '120' } }, (err, stdout) =>
        resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout }),
      ),
    );
    expect(res.code, res.stdout).toBe(0);
    // One bar line per scene, redrawn in place, ending full with the saved file's name.
    for (const name of ['Instagram post 1080×1080', 'Wide skyscraper 160×600']) expect(res.stdout).toContain(name);
    expect(res.stdout).toMatch(/#1 {2}Instagram post 1080×1080 +\[=+\] saved 01-instagram/);
    expect(res.stdout).toContain('\u001b[1G');
    expect(fs.readdirSync(out)).toHaveLength(8);
  }, 120_000);

  it('smart image from a local file with an operation and a prompt; --format, --scale and --max-kb', async () => {
    const out = outDir();
    const res = await adsmith([
      'generate', '-t', '1061', '--image', PRODUCT_PNG, '--operation', 'lifestyle_shot_by_text', '--prompt', 'on a wooden table',
      '--format', 'jpeg', '--scale', '2', '--max-kb', '300', '--out', out, '--quiet',
    ], { ADSMITH_SERVER: s.url, ADSMITH_TOKEN: s.token });
    expect(res.code, res.stderr).toBe(0);
    const files = fs.readdirSync(out).sort();
    expect(files).toHaveLength(8);
    expect(files[0]).toBe('01-instagram-post-2160x2160.jpg');
    for (const f of files) expect(fs.statSync(path.join(out, f)).size).toBeLessThanOrEqual(300 * 1024);
    const job = (await s.ctx.store.listJobs((await s.ctx.store.listOrgs())[0]!.id, 1))[0]!;
    const request = (await s.ctx.store.getJob(job.id))!.request as { smart_image: { input_image_url: string; scene: object } };
    expect(request.smart_image.input_image_url.startsWith(`${s.url}/v1/files/`)).toBe(true);
    expect(request.smart_image.scene).toEqual({ operation: 'lifestyle_shot_by_text', input: 'on a wooden table' });
  }, 120_000);

  it('--moderate asks for content moderation; clean content is rendered', async () => {
    const res = await adsmith(['generate', '--server', s.url, '--token', s.token, '-t', '1061', '--moderate', '--set', 'Heading #1=Kind words', '--out', outDir(), '--json']);
    expect(res.code, res.stderr).toBe(0);
    const report = JSON.parse(res.stdout) as { request_id: string; status: string; scenes: Array<{ status: string }> };
    expect(report.status).toBe('COMPLETED');
    expect(report.scenes.every((x) => x.status === 'done')).toBe(true);
    expect(((await s.ctx.store.getJob(report.request_id))!.request as { content_moderation?: boolean }).content_moderation).toBe(true);
  }, 180_000);

  it('--no-wait with --webhook prints the job and its URLs at once; the webhook arrives', async () => {
    const rx = await receiver();
    try {
      const res = await adsmith(['generate', '--server', s.url, '--token', s.token, '-t', '1061', '--webhook', rx.url, '--no-wait', '--json']);
      expect(res.code, res.stderr).toBe(0);
      const job = JSON.parse(res.stdout) as { request_id: string; status_url: string; scenes: Array<{ url: string }> };
      expect(job.status_url).toBe(`${s.url}/v1/jobs/${job.request_id}`);
      expect(job.scenes).toHaveLength(8);
      const deadline = Date.now() + 30_000;
      while (!rx.calls.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(JSON.parse(rx.calls[0]!.body)).toMatchObject({ id: job.request_id, status: 'COMPLETED' });
    } finally {
      await rx.close();
    }
  }, 120_000);
});

describe('adsmith generate: failures name the cause and exit with its code', () => {
  it('unreachable server: exit 5, names the URL and suggests npm start', async () => {
    const port = await freePort();
    const res = await adsmith(['generate', '--server', `http://127.0.0.1:${port}`, '--token', 'x'.repeat(20), '-t', '1061', '--out', outDir()]);
    expect(res.code).toBe(5);
    expect(res.stderr).toBe(`adsmith: Could not reach the Adsmith server at http://127.0.0.1:${port} (connection refused). Check the URL, or start a server with \`npm start\`.\n`);
  }, 120_000);

  it('wrong token: exit 3; no token at all: exit 3 saying where to get one', async () => {
    const wrong = await adsmith(['generate', '--server', s.url, '--token', 'wrong-token-0000000000', '-t', '1061', '--out', outDir()]);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/^adsmith: The server refused the API token \(401\): check --token or ADSMITH_TOKEN\./);
    const none = await adsmith(['generate', '--server', s.url, '-t', '1061', '--out', outDir()]);
    expect(none.code).toBe(3);
    expect(none.stderr).toMatch(/No API token for http:\/\/127\.0\.0\.1:\d+: pass --token or set ADSMITH_TOKEN/);
  }, 120_000);

  it('bad input: a missing image file, an unknown slot, a bad option: exit 2, nothing rendered', async () => {
    const env = { ADSMITH_SERVER: s.url, ADSMITH_TOKEN: s.token };
    const jobsBefore = (await s.ctx.store.listJobs((await s.ctx.store.listOrgs())[0]!.id, 1000)).length;
    const missing = await adsmith(['generate', '-t', '1061', '--set', 'Image #1=./no/such/photo.jpg', '--out', outDir()], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toBe('adsmith: elements[0].content: cannot read the file ./no/such/photo.jpg (no such file). Give an existing image file, an http(s) URL or a data: URI.\n');
    const image = await adsmith(['generate', '-t', '1061', '--image', './nope.png', '--out', outDir()], env);
    expect(image.code).toBe(2);
    expect(image.stderr).toMatch(/smart_image\.input_image_url: cannot read the file \.\/nope\.png \(no such file\)/);
    const slot = await adsmith(['generate', '-t', '1062', '-b', '167', '--set', 'Headline=x', '--out', outDir()], env);
    expect(slot.code).toBe(2);
    expect(slot.stderr).toMatch(/elements\[0\]\.content_type "Headline" is not a slot of template 1062/);
    const format = await adsmith(['generate', '-t', '1061', '--format', 'gif', '--out', outDir()], env);
    expect(format.code).toBe(2);
    expect(format.stderr).toBe('adsmith: --format "gif" must be one of: png, jpeg, webp.\n');
    const op = await adsmith(['generate', '-t', '1061', '--operation', 'lifestyle_shot_by_text', '--out', outDir()], env);
    expect(op.code).toBe(2);
    expect(op.stderr).toMatch(/add --image/);
    const jobsAfter = (await s.ctx.store.listJobs((await s.ctx.store.listOrgs())[0]!.id, 1000)).length;
    expect(jobsAfter).toBe(jobsBefore);
  }, 120_000);

  it('scenes the server cannot render as asked: the others are saved, exit 2 with the reason', async () => {
    const out = outDir();
    const res = await adsmith(['generate', '--server', s.url, '--token', s.token, '-t', '1061', '--format', 'jpeg', '--max-kb', '8', '--out', out]);
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/^adsmith: \d of 8 scenes failed \(the others were saved\); first: scene_1 Instagram post 1080×1080: Scene "Instagram post 1080×1080" cannot fit in 8 KB as jpeg/m);
    const saved = fs.readdirSync(out);
    expect(saved.length).toBeGreaterThan(0);
    expect(saved.length).toBeLessThan(8);
  }, 120_000);

  it('quota used up: exit 4 with the contract message; a plan without the feature: exit 4', async () => {
    const free = await s.newOrg('free', 'cli-free');
    const feature = await adsmith(['generate', '--server', s.url, '--token', free.token, '-t', '1061', '--scale', '2', '--out', outDir()]);
    expect(feature.code).toBe(4);
    expect(feature.stderr).toMatch(/Access denied: Your subscription does not include access to this feature\/product\. \(feature: hd_output\)/);
    const db = new Database(path.join(s.dataDir, 'adsmith.sqlite'));
    db.prepare('UPDATE orgs SET request_count = 1000 WHERE id = ?').run(free.org.id);
    db.close();
    const quota = await adsmith(['generate', '--server', s.url, '--token', free.token, '-t', '1061', '--out', outDir()]);
    expect(quota.code).toBe(4);
    expect(quota.stderr).toMatch(/^adsmith: Quota exceeded: Free users can make up to 1000 requests in total/);
  }, 120_000);
});
