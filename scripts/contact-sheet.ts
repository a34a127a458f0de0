/**
 * Contact sheet of the smart-image operations on the real-photo corpus: one row per
 * photo — the input, the cut-out on a checkerboard, lifestyle_shot_by_text with a hex
 * colour and with a prompt, expand_image to a tall 1:4 frame, and to wide 8:1 and 4:1
 * frames (stacked) — the same runs test/smart-image/real-photos.test.ts measures.
 *
 * Run: node scripts/fetch-photo-corpus.mjs && npx tsx scripts/contact-sheet.ts [out.jpg|out.png] [--row 140] [--only chelsea,coffee]
 * Default output: /tmp/real-photos-contact-sheet.png (docs/images/real-photos-contact-sheet.jpg is one of these).
 */
import sharp from 'sharp';
import { OfflineSmartImageService } from '../src/smart-image/service.js';
import type { RawImage } from '../src/smart-image/types.js';
import { assertCorpusPresent, corpusPhotos, loadCorpusPhoto } from '../test/smart-image/helpers/photo-corpus.js';
import { runPhoto } from '../test/smart-image/helpers/real-photo-run.js';

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const ROW = Number(flag('--row') ?? 140);
const only = flag('--only')?.split(',');
const outPath = args[0] ?? '/tmp/real-photos-contact-sheet.png';
const GAP = 6, LABEL = 14;

function png(img: RawImage) {
  return sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } });
}

/** The cut-out over a grey checkerboard (so transparency and leftover background both show). */
function onChecker(subject: RawImage): RawImage {
  const { width: w, height: h } = subject;
  const data = new Uint8Array(w * h * 4);
  const cell = Math.max(6, Math.round(Math.max(w, h) / 32));
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 4, a = subject.data[i + 3]! / 255;
      const bg = ((Math.floor(x / cell) + Math.floor(y / cell)) & 1) === 0 ? 204 : 156;
      for (let c = 0; c < 3; c++) data[i + c] = subject.data[i + c]! * a + bg * (1 - a) + 0.5;
      data[i + 3] = 255;
    }
  return { data, width: w, height: h };
}

async function tile(img: RawImage, height: number): Promise<{ input: Buffer; width: number; height: number }> {
  const width = Math.max(1, Math.round((img.width / img.height) * height));
  return { input: await png(img).resize(width, height, { fit: 'fill' }).png().toBuffer(), width, height };
}

function label(text: string, width: number): Buffer {
  const esc = text.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  return Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${LABEL}"><text x="2" y="11" font-family="sans-serif" font-size="11" fill="#333">${esc}</text></svg>`);
}

assertCorpusPresent();
const service = new OfflineSmartImageService();
const status = await service.warm();
if (!status.ok) throw new Error(status.detail);

const rows: Array<{ parts: Array<{ input: Buffer; left: number; top: number }>; width: number }> = [];
for (const p of corpusPhotos()) {
  if (only && !only.some((o) => p.file.startsWith(o))) continue;
  const { bytes, photo } = await loadCorpusPhoto(p);
  const run = await runPhoto(service, bytes);
  const parts: Array<{ input: Buffer; left: number; top: number }> = [];
  let x = 0;
  const put = (t: { input: Buffer; width: number }, top = LABEL) => {
    parts.push({ input: t.input, left: x, top });
    x += t.width + GAP;
  };
  parts.push({ input: label(`${p.file} — ${p.subject} (${p.package})`, 900), left: 0, top: 0 });
  put(await tile(photo, ROW));
  put(await tile(onChecker(run.prep.subject), ROW));
  for (const l of run.lifestyles) put(await tile(l.out, ROW));
  const tall = run.expands.find((e) => e.name.startsWith('tall'))!;
  put(await tile(tall.out, ROW));
  const half = (ROW - GAP) / 2;
  const w8 = run.expands.find((e) => e.name === 'wide 8:1')!, w4 = run.expands.find((e) => e.name === 'wide 4:1')!;
  const a = await tile(w8.out, Math.floor(half)), b = await tile(w4.out, Math.ceil(half));
  parts.push({ input: a.input, left: x, top: LABEL }, { input: b.input, left: x, top: LABEL + Math.floor(half) + GAP });
  x += Math.max(a.width, b.width);
  rows.push({ parts, width: x });
  console.log(`contact sheet: ${p.file}`);
}

const width = Math.max(...rows.map((r) => r.width)) + 2 * GAP;
const rowH = ROW + LABEL + GAP * 2;
const composites = rows.flatMap((r, i) => r.parts.map((c) => ({ ...c, left: c.left + GAP, top: c.top + i * rowH + GAP })));
const sheet = sharp({ create: { width, height: rows.length * rowH + GAP, channels: 3, background: '#ffffff' } }).composite(composites);
await (outPath.endsWith('.jpg') ? sheet.jpeg({ quality: 70, mozjpeg: true }) : sheet.png()).toFile(outPath);
console.log(`contact sheet: ${rows.length} photos → ${outPath} (${width}×${rows.length * rowH + GAP})`);
