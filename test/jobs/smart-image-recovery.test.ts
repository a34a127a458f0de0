import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerChild, stopServerChild as kill } from '../helpers/server-process.js';

/**
 * kill -9 in the middle of a smart-image job: the cut-out was persisted (blob
 * store, by image hash) before the kill, so the restarted process renders the
 * remaining scenes from it without running the model again. A real
 * `src/server/main.ts` on an ephemeral loopback port; only 127.0.0.1 is contacted.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const TOKEN = 'smart-recovery-token-0123456789';
const PRODUCT = fs.readFileSync(path.join(ROOT, 'src/assets/images/product.png'));
const children: ChildProcess[] = [];

const start = (dataDir: string) =>
  startServerChild({ dataDir, env: { ADSMITH_API_TOKEN: TOKEN, ADSMITH_PUBLIC_URL: 'http://adsmith.invalid', ADSMITH_WORKERS: '2' } }).then((s) => {
    children.push(s.child);
    return s;
  });

/** The persisted cut-out descriptions under the data dir. */
function cutoutFiles(dataDir: string): string[] {
  const dir = path.join(dataDir, 'blobs', 'smart-image', 'cutouts');
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json'));
}

afterAll(async () => {
  for (const c of children) await kill(c);
});

describe('smart image after kill -9', () => {
  it('the restarted process finishes every scene from the persisted cut-out, without running the model again', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-smart-recovery-'));
    const first = await start(dataDir);
    const form = new FormData();
    form.append('file', new Blob([PRODUCT], { type: 'image/png' }), 'product.png');
    const up = await fetch(`${first.base}/v1/files`, { method: 'POST', headers: { api_token: TOKEN }, body: form });
    expect(up.status).toBe(201);
    const fileUrl = ((await up.json()) as { url: string }).url;
    const res = await fetch(`${first.base}/v1/ads/generate`, {
      method: 'POST',
      headers: { api_token: TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ template_id: '1062', brand_id: '121', smart_image: { input_image_url: fileUrl, scene: { operation: 'lifestyle_shot_by_text', input: '#2a6f97' } } }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { request_id: string; result: Array<{ url: string }> };

    // Kill as soon as the cut-out is on disk, while scenes are still to render.
    for (let i = 0; i < 6000 && cutoutFiles(dataDir).length === 0; i++) await new Promise((r) => setTimeout(r, 5));
    expect(cutoutFiles(dataDir)).toHaveLength(1);
    await kill(first.child);
    const db = new Database(path.join(dataDir, 'adsmith.sqlite'), { readonly: true });
    const open = db.prepare(`SELECT COUNT(*) AS n FROM scenes WHERE status IN ('pending', 'rendering')`).get() as { n: number };
    db.close();
    expect(open.n).toBeGreaterThan(0);

    const second = await start(dataDir);
    const deadline = Date.now() + 90_000;
    const pngs: Buffer[] = [];
    for (const r of body.result) {
      for (;;) {
        const got = await fetch(`${second.base}${new URL(r.url).pathname}`);
        const bytes = Buffer.from(await got.arrayBuffer());
        if (got.status === 200 && bytes.length > 0) {
          pngs.push(bytes);
          break;
        }
        expect(got.status).toBe(202);
        if (Date.now() > deadline) throw new Error('scene did not complete after restart');
        await new Promise((r2) => setTimeout(r2, 200));
      }
    }
    const status = (await (await fetch(`${second.base}/v1/jobs/${body.request_id}`, { headers: { api_token: TOKEN } })).json()) as { status: string; result: Array<{ warnings: string[] }> };
    expect(status.status).toBe('COMPLETED');
    // Scenes rendered after the restart say the cut-out was reused; none was computed twice.
    const notes = status.result.map((r) => r.warnings.find((w) => w.startsWith('smart image:')) ?? '');
    expect(notes.some((n) => /reused/.test(n))).toBe(true);
    expect(cutoutFiles(dataDir)).toHaveLength(1);
    // And they are right: the frame's top band is the requested colour.
    const { data, info } = await sharp(pngs[0]!).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const at = (x: number, y: number) => [...data.subarray((y * info.width + x) * 3, (y * info.width + x) * 3 + 3)];
    expect(at(1000, 440)).toEqual([0x2a, 0x6f, 0x97]);
    await kill(second.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 150_000);
});
