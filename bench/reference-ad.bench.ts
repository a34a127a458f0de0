/**
 * Reference-ad benchmark: the same ad (bench/reference-ad/spec.ts) rendered by
 * Adsmith (if bench/reference-ad/adsmith.ts exists and exports
 * `adsmithRenderer`) and by two peers: HTML/CSS in headless Chromium, and
 * satori + resvg.
 *
 *   npx tsx bench/reference-ad.bench.ts [--iterations N] [--warmup N]
 *
 * For each size and renderer: warm-up renders (untimed), then N sequential
 * timed renders; prints median / p95 / min ms, PNG size, and each median's
 * ratio to the first renderer in the list, plus (untimed) the heading size the
 * peer's auto-fit chose and the share of pixels that differ from the first
 * renderer's output (pixelmatch, threshold 0.1). The last PNG of each run is written
 * to bench/output/<renderer>-<w>x<h>.png for comparison by eye.
 * Inputs (asset bytes, fonts) are read in setup(), outside the timing.
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { formatBytes, formatTable, timeIt } from './lib/stats.js';
import type { Row } from './lib/stats.js';
import { chromiumRenderer, satoriRenderer } from './reference-ad/peers.js';
import type { Renderer } from './reference-ad/peers.js';
import { lastHeadingSize as chromiumHeading } from './reference-ad/chromium.js';
import { lastHeadingSize as satoriHeading } from './reference-ad/satori.js';
import { SIZES } from './reference-ad/spec.js';

const { values } = parseArgs({
  options: {
    iterations: { type: 'string', default: '15' },
    warmup: { type: 'string', default: '3' },
  },
});
const iterations = Number(values.iterations);
const warmup = Number(values.warmup);
if (!Number.isInteger(iterations) || iterations < 1) throw new Error(`--iterations must be a positive integer, got ${values.iterations}`);
if (!Number.isInteger(warmup) || warmup < 0) throw new Error(`--warmup must be a non-negative integer, got ${values.warmup}`);

/** Adsmith's renderer, first in the list, when a colleague has added it. */
async function loadAdsmith(): Promise<Renderer[]> {
  const here = new URL('./reference-ad/', import.meta.url);
  const present = ['adsmith.ts', 'adsmith.js'].some((f) => existsSync(fileURLToPath(new URL(f, here))));
  if (!present) {
    console.log('note: bench/reference-ad/adsmith.ts not found; running the peers only (ratios are against the first peer).');
    return [];
  }
  // A non-literal specifier keeps tsc from requiring the file to exist.
  const specifier: string = './reference-ad/adsmith.js';
  const mod = (await import(specifier)) as { adsmithRenderer?: Renderer };
  if (!mod.adsmithRenderer) throw new Error('bench/reference-ad/adsmith.ts must export `adsmithRenderer: Renderer`');
  return [mod.adsmithRenderer];
}

const renderers: Renderer[] = [...(await loadAdsmith()), chromiumRenderer, satoriRenderer];

/** Heading size each peer's auto-fit picked, to check they agree. */
const headingSizeOf: Record<string, Map<string, number>> = {
  [chromiumRenderer.name]: chromiumHeading,
  [satoriRenderer.name]: satoriHeading,
};

const outDir = new URL('./output/', import.meta.url);
await mkdir(outDir, { recursive: true });

const cpus = os.cpus();
console.log(
  `reference ad: ${renderers.map((r) => r.name).join(', ')} | ${iterations} iterations after ${warmup} warm-up | ` +
    `node ${process.version}, ${cpus.length} x ${cpus[0]?.model ?? 'cpu'}`,
);

const setupMs: Record<string, number> = {};
for (const r of renderers) {
  const t0 = performance.now();
  await r.setup();
  setupMs[r.name] = performance.now() - t0;
}
console.log(`setup: ${renderers.map((r) => `${r.name} ${(setupMs[r.name] ?? 0).toFixed(0)} ms`).join(', ')}\n`);

try {
  for (const size of SIZES) {
    const key = `${size.width}x${size.height}`;
    const rows: Row[] = [];
    let reference: PNG | undefined;
    for (const r of renderers) {
      const { timing, last } = await timeIt(() => r.render(size), { warmup, iterations });
      const file = new URL(`${r.name.replace(/[^a-z0-9._-]+/gi, '_')}-${key}.png`, outDir);
      await writeFile(file, last);
      const heading = headingSizeOf[r.name]?.get(key);
      // Agreement check (untimed): share of pixels differing from the first renderer's output.
      const decoded = PNG.sync.read(Buffer.from(last));
      let diff = '';
      if (decoded.width !== size.width || decoded.height !== size.height) diff = `${decoded.width}x${decoded.height}!`;
      else if (!reference) reference = decoded;
      else {
        const n = pixelmatch(reference.data, decoded.data, undefined, size.width, size.height, { threshold: 0.1 });
        diff = `${((100 * n) / (size.width * size.height)).toFixed(2)}%`;
      }
      rows.push({
        name: r.name,
        timing,
        extra: {
          'png size': formatBytes(last.byteLength),
          heading: heading === undefined ? '' : `${heading}px`,
          'px diff': diff,
        },
      });
    }
    console.log(`${key}`);
    console.log(formatTable(rows, renderers[0]?.name));
    console.log('');
  }
} finally {
  for (const r of renderers) await r.teardown();
}
console.log(`outputs: ${fileURLToPath(outDir)}`);
