import Database from 'better-sqlite3';
import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../src/cli/batch/manifest.js';
import { freePort, PRODUCT_PNG, startServer, type TestServer } from '../client/server.js';

const BIN = fileURLToPath(new URL('../../bin/adsmith.js', import.meta.url));
const ENV = { PATH: process.env['PATH'] ?? '', HOME: os.tmpdir(), ADSMITH_WORKERS: '2' };

function adsmith(args: string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { timeout: 240_000, env: { ...ENV, ...env } }, (err, stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }));
  });
}

/** A work folder with a CSV (and the product photo beside it); returns the paths. */
function workspace(csv: string) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-batch-'));
  fs.copyFileSync(PRODUCT_PNG, path.join(dir, 'product.png'));
  fs.writeFileSync(path.join(dir, 'products.csv'), csv);
  return { dir, csv: path.join(dir, 'products.csv'), out: path.join(dir, 'ads') };
}

const manifestOf = (out: string) => JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as Manifest;

/** Jobs and batches the embedded server stored under <out>/.adsmith. */
function embeddedCounts(out: string): { jobs: number; batches: number } {
  const db = new Database(path.join(out, '.adsmith', 'adsmith.sqlite'), { readonly: true });
  try {
    const count = (table: string) => (db.prepare(`SELECT COUNT(*) AS n FROM ${table}`).get() as { n: number }).n;
    return { jobs: count('jobs'), batches: count('batches') };
  } finally {
    db.close();
  }
}

const mtimes = (dir: string) => Object.fromEntries(fs.readdirSync(dir).map((f) => [f, fs.statSync(path.join(dir, f)).mtimeMs]));

describe('adsmith batch on the embedded server', () => {
  it('a folder of scenes per row and a manifest; a bad row is named and skipped, the rest is done; a re-run renders nothing again', async () => {
    const w = workspace(['key,Heading #1,Body #1,image', 'sku-1,Linen shirt,Breathable,product.png', 'sku-2,Canvas bag,Back in stock,', 'sku-3,Broken,Missing photo,missing.png', 'sku-4,Tote,Waxed cotton,'].join('\n'));
    const first = await adsmith(['batch', '-t', '1061', '--rows', w.csv, '--out', w.out, '--json']);
    expect(first.code, first.stderr).toBe(2);
    expect(first.stderr).toContain(`row 4, column "image": file missing.png does not exist (looked for ${path.join(w.dir, 'missing.png')})`);
    expect(first.stderr).toMatch(/^adsmith: 1 of 4 rows failed; the others were saved in /m);
    const report = JSON.parse(first.stdout) as { rows: Manifest['rows'] };
    expect(report.rows.map((r) => [r.row, r.key, r.status])).toEqual([
      [2, 'sku-1', 'done'],
      [3, 'sku-2', 'done'],
      [4, 'sku-3', 'failed'],
      [5, 'sku-4', 'done'],
    ]);
    for (const key of ['sku-1', 'sku-2', 'sku-4']) {
      const files = fs.readdirSync(path.join(w.out, key)).sort();
      expect(files).toHaveLength(8);
      expect(files[0]).toBe('01-instagram-post-1080x1080.png');
      const meta = await sharp(path.join(w.out, key, files[2]!)).metadata();
      expect([meta.width, meta.height]).toEqual([1080, 1920]);
    }
    expect(fs.existsSync(path.join(w.out, 'sku-3'))).toBe(false);
    expect(embeddedCounts(w.out)).toEqual({ jobs: 3, batches: 1 });

    // Re-run: the done rows are skipped (no job, files untouched); the bad row is still reported.
    const before = mtimes(path.join(w.out, 'sku-1'));
    const again = await adsmith(['batch', '-t', '1061', '--rows', w.csv, '--out', w.out, '--quiet']);
    expect(again.code).toBe(2);
    expect(embeddedCounts(w.out)).toEqual({ jobs: 3, batches: 1 });
    expect(mtimes(path.join(w.out, 'sku-1'))).toEqual(before);

    // Fix the row: only it is rendered.
    fs.copyFileSync(PRODUCT_PNG, path.join(w.dir, 'missing.png'));
    const fixed = await adsmith(['batch', '-t', '1061', '--rows', w.csv, '--out', w.out, '--quiet']);
    expect(fixed.code, fixed.stderr).toBe(0);
    expect(embeddedCounts(w.out)).toEqual({ jobs: 4, batches: 2 });
    expect(manifestOf(w.out).rows.every((r) => r.status === 'done')).toBe(true);
    expect(fs.readdirSync(path.join(w.out, 'sku-3'))).toHaveLength(8);
  }, 240_000);

  it('killed (SIGKILL) mid-batch, the same command resumes: the open batch is re-attached, no row is rendered twice', async () => {
    const rows = Array.from({ length: 8 }, (_, i) => `p${i + 1},Product ${i + 1},Line ${i + 1}`);
    const w = workspace(['key,Heading #1,Body #1', ...rows].join('\n'));
    const child = spawn(process.execPath, [BIN, 'batch', '-t', '1061', '--rows', w.csv, '--out', w.out, '--quiet'], { env: { ...ENV, ADSMITH_WORKERS: '1' }, stdio: 'ignore' });
    // Kill once some rows are saved and others are not.
    const deadline = Date.now() + 120_000;
    let saved = 0;
    while (Date.now() < deadline) {
      try {
        saved = manifestOf(w.out).rows.filter((r) => r.status === 'done').length;
      } catch {
        saved = 0; // not written yet
      }
      if (saved >= 1) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const interrupted = manifestOf(w.out);
    const doneBefore = interrupted.rows.filter((r) => r.status === 'done');
    expect(doneBefore.length).toBeGreaterThanOrEqual(1);
    expect(doneBefore.length).toBeLessThan(8);
    expect(interrupted.batches).toHaveLength(1);
    const firstDone = doneBefore[0]!.folder;
    const before = mtimes(path.join(w.out, firstDone));

    const resumed = await adsmith(['batch', '-t', '1061', '--rows', w.csv, '--out', w.out, '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    const final = manifestOf(w.out);
    expect(final.rows.every((r) => r.status === 'done')).toBe(true);
    expect(final.batches).toEqual([{ ...interrupted.batches[0], final: true }]);
    // One job per row, one batch: nothing was submitted twice.
    expect(embeddedCounts(w.out)).toEqual({ jobs: 8, batches: 1 });
    expect(mtimes(path.join(w.out, firstDone))).toEqual(before);
    for (const r of final.rows) expect(fs.readdirSync(path.join(w.out, r.folder))).toHaveLength(8);
  }, 300_000);
});

describe('adsmith batch interrupted with Ctrl-C', () => {
  it('exits 130 saying how to resume; the same command then finishes without rendering a row twice', async () => {
    const rows = Array.from({ length: 6 }, (_, i) => `c${i + 1},Item ${i + 1}`);
    const w = workspace(['key,Heading #1', ...rows].join('\n'));
    const child = spawn(process.execPath, [BIN, 'batch', '-t', '1061', '--rows', w.csv, '--out', w.out], { env: { ...ENV, ADSMITH_WORKERS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline && !/\[\d+\/6\] row \d+ c\d: 8 scenes saved/.test(stderr)) await new Promise((r) => setTimeout(r, 50));
    child.kill('SIGINT');
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(130);
    expect(stderr).toMatch(/adsmith: Interrupted: \d of 6 rows saved in .*\. Run the same command again to resume; finished rows are not rendered again\.\n$/);
    const saved = manifestOf(w.out).rows.filter((r) => r.status === 'done').length;
    expect(saved).toBeGreaterThanOrEqual(1);

    const resumed = await adsmith(['batch', '-t', '1061', '--rows', w.csv, '--out', w.out, '--quiet']);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(manifestOf(w.out).rows.every((r) => r.status === 'done')).toBe(true);
    expect(embeddedCounts(w.out)).toEqual({ jobs: 6, batches: 1 });
  }, 300_000);
});

describe('adsmith batch against a server (--server / ADSMITH_SERVER)', () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startServer({ workers: 2 });
  });
  afterAll(async () => s.close());

  it('rows the server refuses are named by row and column; the others are saved', async () => {
    const port = await freePort(); // nothing listens: the URL cannot be fetched
    const w = workspace(['key,Heading #1,Image #1', 'ok-1,Fine,product.png', `bad,Unreachable,http://127.0.0.1:${port}/x.png`, 'ok-2,Also fine,'].join('\n'));
    const res = await adsmith(['batch', '-t', '1062', '-b', '121', '--rows', w.csv, '--out', w.out, '--format', 'webp'], { ADSMITH_SERVER: s.url, ADSMITH_TOKEN: s.token });
    expect(res.code, res.stderr).toBe(2);
    expect(res.stderr).toMatch(/row 3, column "Image #1"/);
    expect(res.stdout).toMatch(/^2 of 3 rows saved in /);
    expect(fs.readdirSync(path.join(w.out, 'ok-1')).every((f) => f.endsWith('.webp'))).toBe(true);
    expect(fs.readdirSync(path.join(w.out, 'ok-2'))).toHaveLength(8);
    const m = manifestOf(w.out);
    expect(m.server).toBe(s.url);
    expect(Object.keys(m.uploads)).toEqual([path.join(w.dir, 'product.png')]);
  }, 120_000);

  it('wrong token (3), unreachable server (5), unreadable rows file, unknown column, missing brand (2): a message naming the cause', async () => {
    const w = workspace('key,Heading #1\na,Hello\n');
    const wrong = await adsmith(['batch', '-t', '1061', '--rows', w.csv, '--out', w.out, '--server', s.url, '--token', 'wrong-token-0000000000']);
    expect(wrong.code).toBe(3);
    expect(wrong.stderr).toMatch(/The server refused the API token \(401\)/);
    const port = await freePort();
    const down = await adsmith(['batch', '-t', '1061', '--rows', w.csv, '--out', w.out, '--server', `http://127.0.0.1:${port}`, '--token', s.token]);
    expect(down.code).toBe(5);
    expect(down.stderr).toContain(`Could not reach the Adsmith server at http://127.0.0.1:${port} (connection refused). Check the URL, or start a server with \`npm start\`.`);
    const env = { ADSMITH_SERVER: s.url, ADSMITH_TOKEN: s.token };
    const nofile = await adsmith(['batch', '-t', '1061', '--rows', path.join(w.dir, 'nope.csv'), '--out', w.out], env);
    expect(nofile.code).toBe(2);
    expect(nofile.stderr).toBe(`adsmith: Cannot read the rows file ${path.join(w.dir, 'nope.csv')}: no such file.\n`);
    fs.writeFileSync(w.csv, 'key,Headline\na,Hello\n');
    const column = await adsmith(['batch', '-t', '1061', '--rows', w.csv, '--out', w.out], env);
    expect(column.code).toBe(2);
    expect(column.stderr).toMatch(/column "Headline" is not a slot of template 1061/);
    fs.writeFileSync(w.csv, 'key,Heading #1\na,Hello\n');
    const brand = await adsmith(['batch', '-t', '1062', '--rows', w.csv, '--out', w.out], env);
    expect(brand.code).toBe(2);
    expect(brand.stderr).toMatch(/send brand_id \(CLI: --brand\)/);
    expect(fs.existsSync(path.join(w.out, 'a'))).toBe(false);
  }, 120_000);
});
