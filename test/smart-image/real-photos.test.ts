/**
 * Every smart-image operation on every photograph of the real-photo corpus
 * (test/fixtures/photo-corpus.json: 24 photos from Debian packages, fetched by
 * `node scripts/fetch-photo-corpus.mjs`; CI runs it first, and a missing corpus fails
 * here with that command, never a skip), measured where it can be:
 *
 * - expand_image to 8:1, 4:1 and 1:4 frames: the seam measure (helpers/seam.ts
 *   borderSeams: the step across each photo border against the photo's own steps);
 * - no clones: ISNet run on the filled area alone (8:1 and 1:4 frames) finds no salient
 *   object there;
 * - the cut-out: the fraction of undecided alpha (0 < a < 255);
 * - lifestyle_shot_by_text (hex colour and prompt): the subject's box lies inside its
 *   frame, and a side where the photo cuts the subject lies on the frame's edge.
 *
 * Photos are scaled to 512 px on the longer side and each is cut out once (the
 * service caches the matte by content); the figures are printed as one table.
 * Each threshold has a control below that must fail it.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { drawOver, resizeRgba } from '../../src/smart-image/image.js';
import { OfflineSmartImageService } from '../../src/smart-image/service.js';
import type { PhotoSide, RawImage } from '../../src/smart-image/types.js';
import { assertCorpusPresent, corpusPhotos, loadCorpusPhoto } from './helpers/photo-corpus.js';
import { EXPAND_FRAMES, fillOnly, largestBlobFraction, runPhoto, undecidedFraction, type PhotoRun } from './helpers/real-photo-run.js';
import { borderSeams, copyPasteFill } from './helpers/seam.js';

/*
 * Thresholds, from the corpus as measured (the table this test prints; 512-px photos,
 * default placement). Each has a control below that fails it.
 *
 * Seam ratio = step ÷ (1.5 × the photo's natural step + 1.5); 1 is the synthetic-texture
 * rule of expand-seam.test.ts. 22 of 24 photos stay ≤ 1.32 on every side of every frame
 * (median ≈ 0.55); a hard copy-paste seam gives > 2. Two exceptions, seen in the pictures:
 * box.png has a black outline drawn along its own border, so the fill (grey card) meets a
 * line that is the photo's content (1.60 at 4:1 to 3.46 at 1:4); home.jpg's 8:1 right side meets
 * the tower's lit facade with copied sky (2.44). They keep their own ceiling, so a worse
 * seam there still fails.
 */
const SEAM_LIMIT = 1.5;
const SEAM_EXCEPTIONS: Record<string, number> = { 'box.png': 3.6, 'home.jpg': 2.6 };
/*
 * Largest salient blob ISNet may find in the filled area alone (fraction of the fill),
 * the same for every photo. Measured with the PatchMatch-to-backdrop hand-over: 0 on every
 * photo but messi5.jpg (0.006); butterfly.jpg's leaf fill, 0.192 with PatchMatch alone,
 * is 0.000. The coffee cup pasted into the 8:1 fill gives 0.080 (the control).
 */
const CLONE_LIMIT = 0.03;
/*
 * Largest fraction of the photo whose alpha is undecided (0 < a < 255), after the
 * matte's plateaus are decided (matte.ts). Measured: median 3.4 %; over 10 % where the
 * edge itself is long and soft — fur (baboon 14.1 %), foliage against a facade
 * (building 19.5 %), an aloe's leaves (10.1 %), a brick wall ISNet half takes for a
 * subject (10.7 %), cut fruit (11.0 %). A faint 10 % haze over the background (a ghost)
 * fails it (see the control).
 */
const UNDECIDED_LIMIT = 0.22;

const service = new OfflineSmartImageService({ cacheSize: 4 });
const photos = corpusPhotos();
const figures: Record<string, Record<string, string>> = {};
const runs = new Map<string, PhotoRun>();

beforeAll(async () => {
  assertCorpusPresent();
  const status = await service.warm();
  expect(status.ok, status.detail).toBe(true);
}, 120_000);

afterAll(() => {
  console.log(`real photos: SEAM_LIMIT ${SEAM_LIMIT} ${JSON.stringify(SEAM_EXCEPTIONS)}, CLONE_LIMIT ${CLONE_LIMIT}, UNDECIDED_LIMIT ${UNDECIDED_LIMIT}`);
  console.table(figures);
});

type Box = { x: number; y: number; width: number; height: number };

/**
 * What is wrong with where the subject's box lies in a frame: outside the frame on a
 * side the photo did not cut, or (cut side) short of the frame's edge, floating with a
 * flat side. A subject spanning the frame across one axis may run past the other.
 */
function boxProblems(box: Box, cut: readonly PhotoSide[], frame: { width: number; height: number }): string[] {
  const eps = 0.75;
  const edges: Record<PhotoSide, [number, number]> = {
    left: [box.x, 0],
    top: [box.y, 0],
    right: [frame.width - (box.x + box.width), 0],
    bottom: [frame.height - (box.y + box.height), 0],
  };
  const spans = (a: PhotoSide, b: PhotoSide) => cut.includes(a) && cut.includes(b);
  const problems: string[] = [];
  for (const side of ['left', 'top', 'right', 'bottom'] as const) {
    const gap = edges[side][0]; // > 0: inside the frame by that much; < 0: past the frame's edge
    const crossAxisSpanned = side === 'left' || side === 'right' ? spans('top', 'bottom') : spans('left', 'right');
    if (cut.includes(side) && gap > eps) problems.push(`${side} is cut by the photo but floats ${gap.toFixed(1)} px inside the frame`);
    if (!cut.includes(side) && gap < -eps && !crossAxisSpanned) problems.push(`${side} runs ${(-gap).toFixed(1)} px past the frame`);
  }
  return problems;
}

/**
 * The frames whose fill is searched for clones: the two extremes. (The 4:1 fill is the
 * part of the 8:1 fill nearest the photo, so it adds little; each search is a cut-out,
 * ~1.3 s. One cut-out of all fills stacked together does not work: ISNet then marks a
 * whole band as the object.)
 */
const CLONE_FRAMES = new Set<string>(['wide 8:1', 'tall 1:4']);

/** The largest salient blob ISNet finds in the fill alone, as a fraction of the fill. */
async function cloneBlob(fill: RawImage): Promise<number> {
  return largestBlobFraction(await service.cutout.matte(fill), fill.width, fill.height);
}

describe('smart image on real photographs', () => {
  it.each(photos.map((p) => [p.file, p] as const))('%s: expand seams, no clones, decided cut-out, subject inside its frame', async (file, p) => {
    const { bytes } = await loadCorpusPhoto(p);
    const run = await runPhoto(service, bytes);
    runs.set(file, run);
    const { prep } = run;
    const row: Record<string, string> = {};

    const undecided = undecidedFraction(prep.alpha);
    row.undecided = `${(undecided * 100).toFixed(2)} %`;
    row.cut = (prep.box.cut ?? []).map((s) => s[0]).join('') || '-';

    const seamFails: string[] = [];
    const cloneFails: string[] = [];
    for (const e of run.expands) {
      const worst = e.seams.reduce((m, s) => (s.ratio > m.ratio ? s : m), { side: '-', ratio: 0 } as { side: string; ratio: number });
      row[`seam ${e.name}`] = e.seams.length ? `${worst.ratio.toFixed(2)} ${worst.side}` : 'no fill';
      for (const s of e.seams) if (s.ratio > (SEAM_EXCEPTIONS[file] ?? SEAM_LIMIT)) seamFails.push(`${e.name} ${s.side}: step ${s.step.toFixed(1)} vs natural ${s.natural.toFixed(1)} (ratio ${s.ratio.toFixed(2)})`);
    }
    for (const e of run.expands.filter((x) => CLONE_FRAMES.has(x.name))) {
      const blob = e.fill ? await cloneBlob(e.fill) : null;
      row[`clone ${e.name}`] = blob === null ? 'no fill' : blob.toFixed(3);
      if (blob !== null && blob > CLONE_LIMIT) cloneFails.push(`${e.name}: a salient blob of ${(blob * 100).toFixed(1)} % of the fill`);
    }

    const boxFails = run.lifestyles.flatMap((l) => boxProblems(l.box, prep.box.cut ?? [], l.out).map((m) => `lifestyle ${l.kind}: ${m}`));
    figures[file] = row;

    expect(seamFails, `seams over ${SEAM_LIMIT}`).toEqual([]);
    expect(cloneFails, `objects in the fill (over ${CLONE_LIMIT})`).toEqual([]);
    expect(undecided, 'undecided alpha fraction').toBeLessThanOrEqual(UNDECIDED_LIMIT);
    expect(boxFails).toEqual([]);
    for (const e of run.expands) for (let i = 3; i < e.out.data.length; i += 4 * 997) expect(e.out.data[i]).toBe(255);
  }, 240_000);
});

describe('controls: each threshold catches a bad result', () => {
  const control = 'coffee.png';
  const get = async () => {
    let run = runs.get(control);
    if (!run) {
      run = await runPhoto(service, (await loadCorpusPhoto(photos.find((p) => p.file === control)!)).bytes);
      runs.set(control, run);
    }
    return run;
  };

  it('a hard copy-paste of the photo into the fill fails the seam limit', async () => {
    const run = await get();
    for (const e of run.expands) {
      const bad = copyPasteFill(e.placed, e.out, e.rect);
      const worst = Math.max(...borderSeams(bad, e.placed, e.rect).map((s) => s.ratio));
      expect(worst, e.name).toBeGreaterThan(SEAM_LIMIT);
    }
  }, 120_000);

  it('the subject pasted into the fill fails the clone limit', async () => {
    const run = await get();
    const e = run.expands.find((x) => x.name === EXPAND_FRAMES[0].name)!;
    // The cut-out, scaled to the frame's height, pasted over the fill left of the photo.
    const s = (e.out.height * 0.8) / run.prep.box.height;
    const subject = await resizeRgba(run.prep.subject, run.prep.photo.width * s, run.prep.photo.height * s);
    const bad: RawImage = { ...e.out, data: e.out.data.slice() };
    drawOver(bad, subject, Math.round(e.rect.x / 2 - (run.prep.box.x + run.prep.box.width / 2) * s), Math.round(e.out.height * 0.1 - run.prep.box.y * s));
    expect(await cloneBlob(fillOnly(bad, e.rect)!)).toBeGreaterThan(CLONE_LIMIT);
  }, 120_000);

  it('a faint haze over the background (a ghost) fails the undecided-alpha limit', async () => {
    const run = await get();
    const hazy = Uint8Array.from(run.prep.alpha, (a) => Math.max(a, 26));
    expect(undecidedFraction(hazy)).toBeGreaterThan(UNDECIDED_LIMIT);
  }, 60_000);

  it('a subject cut by the photo border and floating in the frame fails the box check', () => {
    const frame = { width: 480, height: 560 };
    // The cat's head cut on three sides, placed as before the fix: padded on every side.
    expect(boxProblems({ x: 29, y: 207, width: 422, height: 319 }, ['left', 'top', 'right'], frame).length).toBeGreaterThan(0);
    expect(boxProblems({ x: -5, y: 40, width: 300, height: 400 }, [], frame)).toEqual(['left runs 5.0 px past the frame']);
    expect(boxProblems({ x: 0, y: 0, width: 480, height: 700 }, ['left', 'top', 'right'], frame)).toEqual([]);
  });
});
