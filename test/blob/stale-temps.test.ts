import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/blob/fs.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { fixtureEngine, FAKE_WORKER, tempDir } from '../server/helpers.js';

/**
 * Issue 9: `kill -9` between a blob's write and its rename leaves
 * `<file>.<12 hex>.tmp` behind. They are removed at start, but only those
 * written before the process started: a write in flight is never touched.
 */
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A temp file named as FsBlobStore.put names them, last written `ageMs` ago. */
function leftover(root: string, key: string, ageMs: number): string {
  const file = path.join(root, ...key.split('/'));
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.0123456789ab.tmp`;
  fs.writeFileSync(tmp, 'half a png');
  const at = new Date(Date.now() - ageMs);
  fs.utimesSync(tmp, at, at);
  return tmp;
}

describe('stale blob temp files', () => {
  it('removes temp files older than the given start, keeps newer ones, blobs and look-alike names', async () => {
    const root = tempDir();
    dirs.push(root);
    const store = new FsBlobStore(root);
    await store.put('results/job_1/scene_1.png', new Uint8Array([1, 2, 3]), 'image/png');
    const stale = [leftover(root, 'results/job_1/scene_2.png', 60_000), leftover(root, 'files/abc', 3_600_000)];
    const fresh = leftover(root, 'results/job_2/scene_1.png', 0);
    const lookAlike = path.join(root, 'results', 'job_1', 'notes.tmp');
    fs.writeFileSync(lookAlike, 'not ours');
    fs.utimesSync(lookAlike, new Date(0), new Date(0));

    const removed = await store.removeStaleTemps(new Date(Date.now() - 10_000));
    expect(removed).toBe(2);
    for (const f of stale) expect(fs.existsSync(f), f).toBe(false);
    expect(fs.existsSync(fresh)).toBe(true);
    expect(fs.existsSync(lookAlike)).toBe(true);
    expect(await store.get('results/job_1/scene_1.png')).toEqual(new Uint8Array([1, 2, 3]));
    // Given a later start, the one written before it goes too; a missing root is not an error.
    expect(await store.removeStaleTemps(new Date(Date.now() + 1_000))).toBe(1);
    expect(fs.existsSync(fresh)).toBe(false);
    expect(await new FsBlobStore(path.join(root, 'missing')).removeStaleTemps(new Date())).toBe(0);
  });

  it('the server removes what a killed run left when it starts', async () => {
    const dataDir = tempDir();
    dirs.push(dataDir);
    const blobs = path.join(dataDir, 'blobs');
    const left = leftover(blobs, 'results/job_x/scene_3.png', 5_000 + process.uptime() * 1000);
    const { app } = await buildApp(loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://ads.test', workers: 1, logger: false }), { engine: fixtureEngine, workerScript: FAKE_WORKER });
    try {
      expect(fs.existsSync(left)).toBe(true);
      await app.ready();
      expect(fs.existsSync(left)).toBe(false);
    } finally {
      await app.close();
    }
  });
});
