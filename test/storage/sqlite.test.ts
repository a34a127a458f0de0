import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FsBlobStore } from '../../src/blob/fs.js';
import { SqliteStore } from '../../src/storage/sqlite.js';
import { storeConformance } from './conformance.js';

storeConformance('sqlite (memory)', async () => {
  const s = new SqliteStore(':memory:');
  await s.migrate();
  return s;
});

storeConformance('sqlite (file, WAL)', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-store-'));
  const s = new SqliteStore(path.join(dir, 'db', 'a.sqlite'));
  await s.migrate();
  return s;
});

describe('sqlite specifics', () => {
  it('uses WAL and records migrations', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-store-'));
    const s = new SqliteStore(path.join(dir, 'a.sqlite'));
    await s.migrate();
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect((s.db.prepare('SELECT COUNT(*) AS n FROM migrations').get() as { n: number }).n).toBeGreaterThan(0);
    await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('fs blob store', () => {
  it('puts, gets, deletes; refuses keys that escape its root', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-blob-'));
    const b = new FsBlobStore(dir);
    await b.put('results/j/0.png', new Uint8Array([1, 2, 3]), 'image/png');
    expect(Array.from((await b.get('results/j/0.png')) ?? [])).toEqual([1, 2, 3]);
    expect(await b.exists('results/j/0.png')).toBe(true);
    expect(await b.get('results/j/1.png')).toBeNull();
    await b.delete('results/j/0.png');
    expect(await b.exists('results/j/0.png')).toBe(false);
    for (const key of ['../x', '/etc/passwd', 'a/../../b', 'a//b', 'a\\b', '']) await expect(b.put(key, new Uint8Array(1), 'x')).rejects.toThrow(/unsafe blob key/);
    expect(fs.readdirSync(path.join(dir, 'results', 'j'))).toEqual([]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
