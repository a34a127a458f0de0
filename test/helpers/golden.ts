import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pixelmatch from 'pixelmatch';
import sharp from 'sharp';

export const GOLDEN_DIR = fileURLToPath(new URL('../golden/', import.meta.url));
const OUTPUT_DIR = fileURLToPath(new URL('../output/', import.meta.url));

async function rgba(bytes: Uint8Array) {
  const { data, info } = await sharp(bytes).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height };
}

/**
 * Compare a rendered PNG with its committed golden. Small anti-aliasing
 * differences pass (pixelmatch threshold 0.1, at most 0.1 % of pixels);
 * anything else fails and the actual and diff images are written to
 * test/output/ for a look. `UPDATE_GOLDENS=1` rewrites the golden instead.
 */
export async function expectGolden(name: string, png: Uint8Array, maxDiffRatio = 0.001): Promise<void> {
  const goldenPath = join(GOLDEN_DIR, `${name}.png`);
  if (process.env['UPDATE_GOLDENS'] === '1' || !existsSync(goldenPath)) {
    if (process.env['CI'] && !existsSync(goldenPath)) throw new Error(`golden ${name}.png is missing; run UPDATE_GOLDENS=1 npm run test:unit locally and commit it`);
    mkdirSync(dirname(goldenPath), { recursive: true });
    // Goldens are stored with the smallest lossless PNG so the repo stays light.
    writeFileSync(goldenPath, await sharp(png).png({ compressionLevel: 9, adaptiveFiltering: true }).toBuffer());
    return;
  }
  const [actual, expected] = await Promise.all([rgba(png), rgba(readFileSync(goldenPath))]);
  if (actual.width !== expected.width || actual.height !== expected.height) {
    throw new Error(`${name}: size ${actual.width}×${actual.height} differs from golden ${expected.width}×${expected.height}`);
  }
  const diff = Buffer.alloc(actual.width * actual.height * 4);
  const mismatched = pixelmatch(actual.data, expected.data, diff, actual.width, actual.height, { threshold: 0.1 });
  const ratio = mismatched / (actual.width * actual.height);
  if (ratio > maxDiffRatio) {
    mkdirSync(OUTPUT_DIR, { recursive: true });
    writeFileSync(join(OUTPUT_DIR, `${name.replace(/\//g, '_')}.actual.png`), png);
    await sharp(diff, { raw: { width: actual.width, height: actual.height, channels: 4 } }).png().toFile(join(OUTPUT_DIR, `${name.replace(/\//g, '_')}.diff.png`));
    throw new Error(`${name}: ${mismatched} pixels (${(ratio * 100).toFixed(3)} %) differ from the golden; see test/output/`);
  }
}
