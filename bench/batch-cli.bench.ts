/**
 * `adsmith batch` end to end — CSV of N rows × template 1061 (8 scenes) → the
 * embedded server in the CLI's process → one folder of PNGs per row and the
 * manifest — against its peer measured in the same run: the same rows sent by
 * adsmith/client to the same embedded server (same code, fresh data dir) as one
 * batch, waited for over SSE, nothing downloaded. The ratio is what the CLI
 * adds on top of the server: CSV parsing and planning, process start, saving
 * every scene to disk and the manifest after each row.
 *
 * Reports per variant: median wall, scenes/s, and the CLI's overhead
 * (1 − peer wall / CLI wall). Runs alternate so machine noise falls on both.
 * bench/batch.bench.ts measures the server's own overhead against bare rendering.
 *
 *   npx tsx bench/batch-cli.bench.ts [--rows 200] [--runs 2]
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { startEmbeddedServer } from '../src/cli/batch/embedded.js';
import { Adsmith } from '../src/client/index.js';
import { summarise } from './lib/stats.js';

const { values } = parseArgs({ options: { rows: { type: 'string', default: '200' }, runs: { type: 'string', default: '2' } } });
const ROWS = Number(values.rows);
const RUNS = Number(values.runs);
if (!(ROWS >= 1 && RUNS >= 1)) throw new Error('--rows and --runs must be positive integers');
const SCENES = ROWS * 8;
const ROOT = path.resolve(import.meta.dirname, '..');
const BIN = path.join(ROOT, 'bin/adsmith.js');
const PRODUCTS = ['Linen shirt', 'Canvas tote', 'Walnut desk', 'Wool throw', 'Ceramic mug', 'Desk lamp', 'Rain jacket', 'Trail shoes'];

const rows = Array.from({ length: ROWS }, (_, i) => ({ key: `sku-${i + 1}`, heading: `${PRODUCTS[i % PRODUCTS.length]} no. ${i + 1}`, body: `Only ${10 + (i % 50)} left in stock.` }));

/** The CLI as a user runs it: a child process with its embedded server, writing files. */
async function cliRun(): Promise<number> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-bench-cli-'));
  const csv = path.join(dir, 'rows.csv');
  fs.writeFileSync(csv, ['key,Heading #1,Body #1', ...rows.map((r) => `${r.key},${r.heading},${r.body}`)].join('\n'));
  const started = performance.now();
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn(process.execPath, [BIN, 'batch', '-t', '1061', '--rows', csv, '--out', path.join(dir, 'ads'), '--quiet'], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, ADSMITH_LOG: '0' } });
    child.once('exit', resolve);
  });
  const wall = performance.now() - started;
  const saved = fs.readdirSync(path.join(dir, 'ads')).filter((f) => !f.startsWith('.') && f !== 'manifest.json').length;
  fs.rmSync(dir, { recursive: true, force: true });
  if (code !== 0 || saved !== ROWS) throw new Error(`adsmith batch exited ${code} with ${saved}/${ROWS} rows saved`);
  return wall;
}

/** The peer: the same embedded server, the same rows as one batch through the client; measured from server start to `done`. Then, apart, every scene's download (what the CLI adds while rendering goes on). */
async function clientRun(): Promise<{ wall: number; download: number }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-bench-client-'));
  const started = performance.now();
  const server = await startEmbeddedServer(dir);
  try {
    const adsmith = new Adsmith({ apiKey: server.token, baseUrl: server.url });
    await adsmith.templates.get('1061');
    const created = await adsmith.batches.create({
      template_id: '1061',
      rows: rows.map((r) => ({ key: r.key, elements: [{ content_type: 'Heading #1', content: r.heading }, { content_type: 'Body #1', content: r.body }] })),
    });
    const final = await adsmith.batches.wait(created.batch_id);
    if (final.progress.scenes_done !== SCENES) throw new Error(`peer batch finished ${final.progress.scenes_done}/${SCENES} scenes`);
    const wall = performance.now() - started;
    const urls = final.rows.flatMap((r) => (r.result ?? []).map((x) => x.url));
    const t = performance.now();
    const worker = async () => {
      for (let url = urls.pop(); url; url = urls.pop()) await adsmith.download(url);
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    return { wall, download: performance.now() - t };
  } finally {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const cli: number[] = [];
const peer: number[] = [];
const downloads: number[] = [];
console.log(`adsmith batch: ${ROWS} rows × template 1061 (${SCENES} scenes), embedded server, ${os.availableParallelism()} cores, ${RUNS} runs`);
for (let run = 0; run < RUNS; run++) {
  const p = await clientRun();
  peer.push(p.wall);
  downloads.push(p.download);
  cli.push(await cliRun());
  console.log(`run ${run + 1}: CLI ${(cli.at(-1)! / 1000).toFixed(1)} s, client peer ${(p.wall / 1000).toFixed(1)} s (+ ${(p.download / 1000).toFixed(1)} s to download every scene after)`);
}
const c = summarise(cli);
const p = summarise(peer);
const d = summarise(downloads);
const row = (name: string, median: number) => `${name.padEnd(34)} ${(median / 1000).toFixed(1).padStart(7)} s ${(SCENES / (median / 1000)).toFixed(1).padStart(8)} scenes/s`;
console.log(row('adsmith batch (CSV → files)', c.median));
console.log(row('client peer (batch → done over SSE)', p.median));
console.log(`${'download of every scene (after; 4 at a time)'.padEnd(34)} ${(d.median / 1000).toFixed(1).padStart(7)} s ${(SCENES / (d.median / 1000)).toFixed(1).padStart(8)} scenes/s`);
console.log(`CLI / peer wall ratio ${(c.median / p.median).toFixed(3)}; CLI overhead (1 − peer/CLI) ${((1 - p.median / c.median) * 100).toFixed(1)} %`);
