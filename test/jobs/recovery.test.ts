import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerChild, stopServerChild } from '../helpers/server-process.js';

/**
 * A real server process on an ephemeral loopback port, killed with SIGKILL in
 * the middle of a job and started again on the same data directory: every
 * accepted scene must still complete. Only 127.0.0.1 is contacted.
 */
const TOKEN = 'recovery-test-token-0123456789';
const children: ChildProcess[] = [];

async function start(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const server = await startServerChild({ dataDir, timeoutMs: 30_000, env: { ADSMITH_API_TOKEN: TOKEN, ADSMITH_PUBLIC_URL: 'http://adsmith.invalid', ADSMITH_WORKERS: '2' } });
  children.push(server.child);
  return server;
}

afterAll(async () => {
  await Promise.all(children.map((c) => stopServerChild(c)));
});

describe('recovery after kill -9', () => {
  it('every scene of an accepted job completes after a restart', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-recovery-'));
    const first = await start(dataDir);
    const base = first.base;
    const res = await fetch(`${base}/v1/ads/generate`, {
      method: 'POST',
      headers: { api_token: TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ template_id: '1062', brand_id: '167', elements: [{ content_type: 'Heading #1', content: 'Back after a crash' }] }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { request_id: string; result: Array<{ url: string }> };
    expect(body.result.length).toBe(8);
    // Kill as soon as a worker has started rendering a scene of this job.
    const watch = new Database(path.join(dataDir, 'adsmith.sqlite'), { readonly: true });
    const rendering = watch.prepare(`SELECT COUNT(*) AS n FROM scenes WHERE status = 'rendering'`);
    for (let i = 0; i < 2000 && (rendering.get() as { n: number }).n === 0; i++) await new Promise((r) => setTimeout(r, 5));
    watch.close();
    await stopServerChild(first.child);

    const db = new Database(path.join(dataDir, 'adsmith.sqlite'), { readonly: true });
    const open = db.prepare(`SELECT COUNT(*) AS n FROM scenes WHERE status IN ('pending', 'rendering')`).get() as { n: number };
    db.close();
    expect(open.n).toBeGreaterThan(0); // it really was killed mid-job

    const second = await start(dataDir);
    const base2 = second.base;
    const deadline = Date.now() + 60_000;
    for (const r of body.result) {
      const p = new URL(r.url).pathname;
      for (;;) {
        const got = await fetch(`${base2}${p}`);
        const bytes = new Uint8Array(await got.arrayBuffer());
        if (got.status === 200 && bytes.length > 0) {
          expect(got.headers.get('content-type')).toBe('image/png');
          break;
        }
        expect([202]).toContain(got.status);
        if (Date.now() > deadline) throw new Error('scene did not complete after restart');
        await new Promise((r2) => setTimeout(r2, Number(got.headers.get('retry-after') ?? '1') * 200));
      }
    }
    const status = (await (await fetch(`${base2}/v1/jobs/${body.request_id}`, { headers: { api_token: TOKEN } })).json()) as { status: string };
    expect(status.status).toBe('COMPLETED');
    await stopServerChild(second.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 120_000);
});
