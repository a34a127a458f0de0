/**
 * Memory with every model loaded (target ≤ 600 MB RSS): ISNet (ONNX Runtime) + nsfwjs
 * (tfjs wasm) + obscenity, each configuration in a fresh child process so RSS is its
 * own. Also the cut-out's speed and quality (IoU against the known mask of a
 * composited 1024² photo) for each ONNX Runtime setting, the matte median as a ratio to
 * the default measured in the same run.
 * Run: npx tsx bench/models-memory.bench.ts   (RUNS=… mattes per configuration, default 3; ONLY=default for one row)
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type * as Tf from '@tensorflow/tfjs';
import type * as TfWasm from '@tensorflow/tfjs-backend-wasm';
import type { CutoutOptions } from '../src/smart-image/cutout.js';

interface Config {
  name: string;
  cutout: CutoutOptions;
  /** 'bundled': our loader (bundled-model.ts); 'nsfwjs-import': nsfwjs's own import() of its bundles. */
  nsfw: 'bundled' | 'nsfwjs-import';
}
interface Result {
  rssMB: number;
  peakMB: number;
  isnetMB: number;
  nsfwMB: number;
  loadMs: number;
  matteMs: number;
  iou: number;
}

const CONFIGS: Config[] = [
  { name: 'default (medium fp16, extended, arena off)', cutout: {}, nsfw: 'bundled' },
  { name: "graph 'all' (previous default)", cutout: { session: { graphOptimizationLevel: 'all' } }, nsfw: 'bundled' },
  { name: "previous default + nsfwjs's import()", cutout: { session: { graphOptimizationLevel: 'all' } }, nsfw: 'nsfwjs-import' },
  { name: "graph 'basic'", cutout: { session: { graphOptimizationLevel: 'basic' } }, nsfw: 'bundled' },
  { name: 'memory pattern off', cutout: { session: { enableMemPattern: false } }, nsfw: 'bundled' },
  { name: 'cpu arena on', cutout: { session: { enableCpuMemArena: true } }, nsfw: 'bundled' },
  { name: 'small (uint8) variant', cutout: { variant: 'small' }, nsfw: 'bundled' },
  { name: 'threads = 1', cutout: { threads: 1 }, nsfw: 'bundled' },
];

const rssMB = () => Math.round(process.memoryUsage().rss / 1e6);
const peakMB = () => Math.round(Number(/VmHWM:\s+(\d+)/.exec(readFileSync('/proc/self/status', 'utf8'))?.[1] ?? 0) / 1e3);

async function child(cfg: Config): Promise<Result> {
  const { IsnetCutout } = await import('../src/smart-image/cutout.js');
  const { ImageModerator } = await import('../src/moderation/image.js');
  const { TextModerator } = await import('../src/moderation/text.js');
  const { encodePng } = await import('../src/smart-image/image.js');
  const { iou, makeProductPhoto } = await import('../test/fixtures/smart-image/synth.js');
  const { photo, mask } = makeProductPhoto(1024, 'bottle', 'texture');
  const png = await encodePng(photo);
  const r0 = rssMB();
  const cut = new IsnetCutout(cfg.cutout);
  await cut.load();
  if (!cut.status().ok) throw new Error(cut.status().detail);
  const times: number[] = [];
  let alpha: Uint8Array = new Uint8Array();
  for (let i = 0; i < Number(process.env.RUNS ?? 3); i++) {
    const t = performance.now();
    alpha = await cut.matte(photo);
    times.push(performance.now() - t);
  }
  const r1 = rssMB();
  if (cfg.nsfw === 'bundled') {
    const mod = new ImageModerator();
    await mod.check(png);
  } else {
    // nsfwjs's own path: its index `load` by model name, which import()s the bundles.
    const { createRequire } = await import('node:module');
    const require = createRequire(import.meta.url);
    const tf = require('@tensorflow/tfjs') as typeof Tf;
    const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof TfWasm;
    const { dirname, join } = await import('node:path');
    wasm.setWasmPaths(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm')), '/'));
    await tf.setBackend('wasm');
    const nsfw = await import('nsfwjs');
    const model = await nsfw.load('MobileNetV2', { size: 224 });
    await model.classify(tf.zeros([224, 224, 3], 'int32') as Tf.Tensor3D);
  }
  new TextModerator().check('cocktails in the cockpit');
  const sorted = [...times].sort((a, b) => a - b);
  return { rssMB: rssMB(), peakMB: peakMB(), isnetMB: r1 - r0, nsfwMB: rssMB() - r1, loadMs: Math.round(cut.loadMs), matteMs: Math.round(sorted[Math.floor(sorted.length / 2)]!), iou: iou(alpha, mask) };
}

if (process.env.MEMORY_BENCH_CHILD) {
  const result = await child(JSON.parse(process.env.MEMORY_BENCH_CHILD) as Config);
  console.log(`RESULT ${JSON.stringify(result)}`);
  process.exit(0);
}

console.log('Every model loaded (ISNet + nsfwjs + obscenity), one fresh process per row; 1024² photo; RSS in MB (target ≤ 600).');
const header = ['configuration', 'RSS', 'peak', 'ISNet +', 'nsfwjs +', 'load ms', 'matte ms', 'vs default', 'IoU'];
const rows: string[][] = [];
let base = 0;
// ONLY=<prefix>: just the configurations whose name starts with it (e.g. ONLY=default for the target alone).
for (const cfg of CONFIGS.filter((c) => !process.env.ONLY || c.name.startsWith(process.env.ONLY))) {
  const run = spawnSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url)], {
    env: { ...process.env, MEMORY_BENCH_CHILD: JSON.stringify(cfg) },
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
  if (!line) {
    rows.push([cfg.name, `failed: ${(run.stderr || run.stdout).trim().split('\n').slice(-1)[0] ?? ''}`]);
    continue;
  }
  const r = JSON.parse(line.slice(7)) as Result;
  base ||= r.matteMs;
  rows.push([cfg.name, String(r.rssMB), String(r.peakMB), String(r.isnetMB), String(r.nsfwMB), String(r.loadMs), String(r.matteMs), `${(r.matteMs / base).toFixed(2)}x`, r.iou.toFixed(4)]);
}
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
const fmt = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log([fmt(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(fmt)].join('\n'));
