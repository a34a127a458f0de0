import type { ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startServerChild, stopServerChild } from '../helpers/server-process.js';

/**
 * A batch on a real server process (the real engine, 2 render threads, SQLite
 * in a temp dir, an ephemeral port on 127.0.0.1), killed with SIGKILL once some
 * of its scenes are rendered and others are not, then started again on the same
 * data: the remaining rows complete, and no scene that was finished before the
 * kill is rendered again. Only 127.0.0.1 is contacted.
 */
const TOKEN = 'batch-recovery-token-0123456789';
const children: ChildProcess[] = [];

async function startServer(dataDir: string): Promise<{ child: ChildProcess; base: string }> {
  const server = await startServerChild({ dataDir, env: { ADSMITH_API_TOKEN: TOKEN, ADSMITH_PUBLIC_URL: 'http://adsmith.invalid', ADSMITH_WORKERS: '2' } });
  children.push(server.child);
  return server;
}

afterAll(async () => {
  await Promise.all(children.map((c) => stopServerChild(c)));
});

type SceneRow = { job_id: string; idx: number; status: string; updated_at: string; etag: string | null; attempts: number };

function scenesOf(dataDir: string, batchId: string): SceneRow[] {
  const db = new Database(path.join(dataDir, 'adsmith.sqlite'), { readonly: true });
  try {
    return db
      .prepare('SELECT s.job_id, s.idx, s.status, s.updated_at, s.etag, s.attempts FROM scenes s JOIN batch_rows r ON r.job_id = s.job_id WHERE r.batch_id = ? ORDER BY r.idx, s.idx')
      .all(batchId) as SceneRow[];
  } finally {
    db.close();
  }
}

describe('batch recovery after kill -9', () => {
  it('the remaining rows complete after a restart; scenes finished before the kill are not rendered again', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-batch-recovery-'));
    const first = await startServer(dataDir);
    const rows = ['Spring linen', 'Canvas tote', 'Walnut desk', 'Wool throw'].map((h, i) => ({
      key: `sku-${i + 1}`,
      elements: [
        { content_type: 'Heading #1', content: h },
        { content_type: 'Body #1', content: `Row ${i + 1}: made to last` },
      ],
    }));
    const res = await fetch(`${first.base}/v1/ads/batch`, {
      method: 'POST',
      headers: { api_token: TOKEN, 'content-type': 'application/json' },
      body: JSON.stringify({ template_id: '1061', rows }),
    });
    expect(res.status).toBe(202);
    const accepted = (await res.json()) as { batch_id: string; rows_accepted: number };
    expect(accepted.rows_accepted).toBe(4);

    // Kill once some scenes are rendered and most are not.
    const deadline = Date.now() + 90_000;
    while (scenesOf(dataDir, accepted.batch_id).filter((s) => s.status === 'done').length < 3) {
      if (Date.now() > deadline) throw new Error('no scene rendered in time');
      await new Promise((r) => setTimeout(r, 20));
    }
    await stopServerChild(first.child);
    const before = scenesOf(dataDir, accepted.batch_id);
    const doneBefore = before.filter((s) => s.status === 'done');
    expect(before.length).toBe(32);
    expect(doneBefore.length).toBeGreaterThanOrEqual(3);
    expect(before.some((s) => s.status !== 'done')).toBe(true); // it really was killed mid-batch

    const second = await startServer(dataDir);
    let status: { status: string; progress: { scenes_done: number; rows_done: number }; rows: Array<{ status: string; result?: Array<{ url: string }> }> };
    for (;;) {
      const r = await fetch(`${second.base}/v1/ads/batch/${accepted.batch_id}`, { headers: { api_token: TOKEN } });
      expect(r.status).toBe(200);
      status = (await r.json()) as typeof status;
      if (status.status !== 'IN_PROGRESS') break;
      if (Date.now() > deadline + 60_000) throw new Error('batch did not complete after restart');
      await new Promise((r2) => setTimeout(r2, 200));
    }
    expect(status.status).toBe('COMPLETED');
    expect(status.progress).toMatchObject({ rows_done: 4, scenes_done: 32 });
    expect(status.rows.map((r) => r.status)).toEqual(['completed', 'completed', 'completed', 'completed']);

    const after = scenesOf(dataDir, accepted.batch_id);
    expect(after.every((s) => s.status === 'done')).toBe(true);
    for (const d of doneBefore) {
      const now = after.find((s) => s.job_id === d.job_id && s.idx === d.idx);
      // untouched: same write time, same bytes, claimed once
      expect(now).toEqual(d);
      expect(now?.attempts).toBe(1);
    }
    for (const row of status.rows) {
      for (const item of row.result ?? []) {
        const img = await fetch(`${second.base}${new URL(item.url).pathname}`);
        expect(img.status).toBe(200);
        expect(img.headers.get('content-type')).toBe('image/png');
        expect((await img.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      }
    }
    await stopServerChild(second.child);
    fs.rmSync(dataDir, { recursive: true, force: true });
  }, 240_000);
});
