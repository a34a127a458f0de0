import fs from 'node:fs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { borderBand, decode, framePixels, isAmber, medianRgb, PRODUCT_PNG, serveBytes, smartFrameOf, startRealServer, TEMPLATE_1062 } from './smart-image-helpers.js';

/**
 * Smart image end to end: the real server (buildApp, real render threads, the
 * models thread with ISNet), template 1062 and the shipped product photo served
 * over loopback. Every assertion reads the pixels of the returned ads.
 */
let s: Awaited<ReturnType<typeof startRealServer>>;
let host: Awaited<ReturnType<typeof serveBytes>>;
const OUT = new URL('../output/smart-image/', import.meta.url);

beforeAll(async () => {
  s = await startRealServer();
  host = await serveBytes({ '/product.png': { body: PRODUCT_PNG, type: 'image/png' }, '/note.txt': { body: 'hello, not an image', type: 'text/plain' } });
  fs.mkdirSync(OUT, { recursive: true });
}, 120_000);
afterAll(async () => {
  await host?.close();
  await s?.close();
});

const productUrl = () => host.url('/product.png');

/** POST with sync: true; every scene's bytes decoded, with the job status. */
async function generate(body: object) {
  const res = await s.gen({ template_id: '1062', brand_id: '121', sync: true, ...body });
  expect(res.statusCode, res.body).toBe(200);
  expect(res.json().status).toBe('COMPLETED');
  const scenes = await Promise.all(
    res.json().result.map(async (r: { url: string }) => {
      const got = await s.result(r.url);
      expect(got.statusCode).toBe(200);
      return got.rawPayload;
    }),
  );
  return { id: res.json().request_id as string, scenes: scenes as Buffer[], status: await s.jobStatus(res.json().request_id) };
}

describe('smart image in jobs (template 1062, 8 scenes)', () => {
  let baseline: Buffer[] = [];

  it('without smart_image the product slot shows the template default (baseline for the comparisons below)', async () => {
    baseline = (await generate({})).scenes;
    expect(baseline).toHaveLength(8);
  });

  it('lifestyle_shot_by_text with a hex colour: every frame has the colour around the subject; the cut-out is made once for the request', async () => {
    const before = { ...s.ctx.models!.stats };
    const { scenes, status } = await generate({ smart_image: { input_image_url: productUrl(), scene: { operation: 'lifestyle_shot_by_text', input: '#2A6F97' } } });
    expect(s.ctx.models!.stats.cutoutsComputed - before.cutoutsComputed).toBe(1);
    expect(s.ctx.models!.stats.cutoutsReused - before.cutoutsReused).toBe(0);
    fs.writeFileSync(new URL('1062-hex-scene_1.png', OUT), scenes[0]!);
    for (const [i, bytes] of scenes.entries()) {
      const img = await decode(bytes);
      const { region, box, covered } = smartFrameOf(TEMPLATE_1062, i);
      // The colour fills the frame's region (the photo region), where the template's own elements leave it visible.
      const band = medianRgb(framePixels(img, region, [...covered, box], borderBand));
      for (const [c, want] of [42, 111, 151].entries()) expect(Math.abs(band[c]! - want), `scene ${i + 1} background ${band}`).toBeLessThanOrEqual(6);
      const inner = framePixels(img, box, [], (u, v) => u > 0.1 && u < 0.9 && v > 0.1 && v < 0.95);
      const amber = inner.filter(isAmber).length / inner.length;
      expect(amber, `scene ${i + 1}: the bottle fills part of its frame`).toBeGreaterThan(0.12);
      // Outside the frame nothing changed: the pixels left of the region are the baseline's.
      const base = await decode(baseline[i]!);
      const outside = (p: { data: Buffer }) => p.data.subarray((region.y + 2) * img.width * 3, (region.y + 3) * img.width * 3).subarray(0, Math.max(0, region.x - 2) * 3);
      expect(Buffer.compare(outside(img), outside(base)), `scene ${i + 1}`).toBe(0);
    }
    for (const r of status.result) expect(r.warnings.join(' ')).toMatch(/smart image: lifestyle_shot_by_text "#2a6f97"; cut-out by isnet, computed once for this request in \d+ ms/);
    // The first cut-out of the run (ISNet on a busy 2-core machine) can take most of a minute.
  }, 120_000);

  it('the subject is placed by the template: centred horizontally, standing on the bottom padding of each frame', async () => {
    const { scenes } = await generate({ smart_image: { input_image_url: productUrl(), scene: { operation: 'lifestyle_shot_by_text', input: '#ffffff' } } });
    for (const [i, bytes] of scenes.entries()) {
      const img = await decode(bytes);
      const { box } = smartFrameOf(TEMPLATE_1062, i);
      let x0 = Infinity, x1 = -1, y1 = -1;
      for (let y = box.y; y < box.y + box.height; y++)
        for (let x = box.x; x < box.x + box.width; x++) {
          const k = (y * img.width + x) * 3;
          if (isAmber([img.data[k]!, img.data[k + 1]!, img.data[k + 2]!])) {
            x0 = Math.min(x0, x);
            x1 = Math.max(x1, x);
            y1 = Math.max(y1, y);
          }
        }
      const centre = (x0 + x1) / 2 - box.x;
      expect(Math.abs(centre / box.width - 0.5), `scene ${i + 1} horizontal centre`).toBeLessThan(0.06);
      // Anchor bottom, 4 % padding: the glass ends a little above the frame's bottom edge.
      const gap = (box.y + box.height - 1 - y1) / box.height;
      expect(gap, `scene ${i + 1} bottom gap`).toBeGreaterThan(0.01);
      expect(gap, `scene ${i + 1} bottom gap`).toBeLessThan(0.12);
    }
  });

  it('a second request with the same image reuses the cut-out (no model run), across operations', async () => {
    const before = { ...s.ctx.models!.stats };
    const { scenes, status } = await generate({ smart_image: { input_image_url: productUrl(), scene: { operation: 'expand_image' } } });
    expect(s.ctx.models!.stats.cutoutsComputed).toBe(before.cutoutsComputed);
    expect(s.ctx.models!.stats.cutoutsReused - before.cutoutsReused).toBe(1);
    expect(status.result[0].warnings.join(' ')).toMatch(/smart image: expand_image; cut-out by isnet, reused/);
    fs.writeFileSync(new URL('1062-expand-scene_5.png', OUT), scenes[4]!);
    for (const [i, bytes] of scenes.entries()) {
      const img = await decode(bytes);
      const { region, box, covered } = smartFrameOf(TEMPLATE_1062, i);
      // The product photo is a PNG on transparency, shown on white: expand extends white over the region.
      const band = medianRgb(framePixels(img, region, [...covered, box], borderBand));
      for (const c of band) expect(c, `scene ${i + 1} expanded background ${band}`).toBeGreaterThanOrEqual(245);
      const inner = framePixels(img, box, [], (u, v) => u > 0.1 && u < 0.9 && v > 0.1 && v < 0.95);
      expect(inner.filter(isAmber).length / inner.length, `scene ${i + 1}`).toBeGreaterThan(0.12);
    }
  });

  it('lifestyle_shot_by_text with a prompt: a generated backdrop replaces the template default around the same subject', async () => {
    const { scenes, status } = await generate({ smart_image: { input_image_url: productUrl(), scene: { operation: 'lifestyle_shot_by_text', input: 'dark green velvet at night' } } });
    fs.writeFileSync(new URL('1062-prompt-scene_3.png', OUT), scenes[2]!);
    expect(status.result[2].warnings.join(' ')).toMatch(/lifestyle_shot_by_text "dark green velvet at night"/);
    for (const [i, bytes] of scenes.entries()) {
      const img = await decode(bytes);
      const base = await decode(baseline[i]!);
      const { region, box, covered } = smartFrameOf(TEMPLATE_1062, i);
      const now = medianRgb(framePixels(img, region, [...covered, box], borderBand));
      const before = medianRgb(framePixels(base, region, [...covered, box], borderBand));
      // A dark, green-leaning backdrop where the template showed its light photo.
      expect(now[1]! >= now[0]! && now[1]! >= now[2]! - 10, `scene ${i + 1} backdrop ${now}`).toBe(true);
      expect(now[0]! + now[1]! + now[2]!, `scene ${i + 1} darker than ${before}`).toBeLessThan(before[0]! + before[1]! + before[2]! - 150);
      const inner = framePixels(img, box, [], (u, v) => u > 0.1 && u < 0.9 && v > 0.1 && v < 0.95);
      expect(inner.filter(isAmber).length / inner.length, `scene ${i + 1}`).toBeGreaterThan(0.12);
    }
  });

  it('scale 2 renders each frame at device size (the bottle stays sharp-edged, the colour exact)', async () => {
    const res = await s.gen({ template_id: '1062', brand_id: '167', sync: true, scale: 2, smart_image: { input_image_url: productUrl(), scene: { operation: 'lifestyle_shot_by_text', input: '#f4efe6' } } });
    expect(res.json().status).toBe('COMPLETED');
    const r = res.json().result[5];
    const img = await decode((await s.result(r.url)).rawPayload);
    expect(img.width).toBe(600);
    const { region, box, covered } = smartFrameOf(TEMPLATE_1062, 5);
    const dbl = (b: typeof box) => ({ x: b.x * 2, y: b.y * 2, width: b.width * 2, height: b.height * 2 });
    const band = medianRgb(framePixels(img, dbl(region), [...covered, box].map(dbl), borderBand));
    expect(band).toEqual([0xf4, 0xef, 0xe6]);
  });
});

describe('bad smart_image input: a 4xx naming the field, before any job is accepted', () => {
  const jobsCount = async () => (await s.app.inject({ url: '/v1/jobs', headers: { api_token: 'smart-image-test-token-0123456789' } })).json().length as number;

  it('operation and input', async () => {
    const before = await jobsCount();
    const cases: Array<[object, RegExp]> = [
      [{ operation: 'generate_by_text', input: 'x' }, /smart_image\.scene\.operation must be one of/],
      [{ operation: 'lifestyle_shot_by_text', input: '#12345' }, /smart_image\.scene\.input "#12345" is not a valid hex colour: use #RGB or #RRGGBB/],
      [{ operation: 'lifestyle_shot_by_text', input: '123 !!' }, /smart_image\.scene\.input "123 !!" is neither a prompt .* nor a #RGB\/#RRGGBB colour/],
      [{ operation: 'lifestyle_shot_by_text' }, /smart_image\.scene\.input is required for lifestyle_shot_by_text/],
      [{ operation: 'lifestyle_shot_by_text', input: '   ' }, /smart_image\.scene\.input is required/],
    ];
    for (const [scene, re] of cases) {
      const res = await s.gen({ template_id: '1062', brand_id: '121', smart_image: { input_image_url: productUrl(), scene } });
      expect(res.statusCode, JSON.stringify(scene)).toBe(400);
      expect(res.json().error.message, JSON.stringify(scene)).toMatch(re);
    }
    expect(await jobsCount()).toBe(before);
  });

  it('a template without a smartImage slot: 400 naming smart_image (no longer a warning)', async () => {
    const doc = {
      schema_version: 1,
      name: 'No product slot',
      description: 'One text, no smartImage element',
      requires_brand: false,
      scenes: [
        {
          name: 'Only text',
          width: 300,
          height: 250,
          background: { type: 'color', color: '#ffffff' },
          elements: [{ id: 'h', layer_type: 'text', content_type: 'Heading #1', content: 'Hi', box: { x: 10, y: 10, width: 280, height: 60 }, style: { font_family: 'Inter', font_size: { max: 40, min: 10 }, color: '#000000' } }],
        },
      ],
    };
    const created = await s.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: 'smart-image-test-token-0123456789' }, payload: doc });
    expect(created.statusCode, created.body).toBe(201);
    const res = await s.gen({ template_id: String(created.json().id), smart_image: { input_image_url: productUrl(), scene: { operation: 'expand_image' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/^smart_image was sent, but template \d+ has no smartImage element to put it in/);
  });

  it('an input that is not an image, a broken image, or too many pixels: the contract 422 naming smart_image.input_image_url', async () => {
    const broken = Buffer.concat([PRODUCT_PNG.subarray(0, 33), Buffer.alloc(200, 7)]);
    const huge = await sharp({ create: { width: 7000, height: 6000, channels: 3, background: '#808080' } }).png().toBuffer();
    const files = await serveBytes({ '/broken.png': { body: broken, type: 'image/png' }, '/huge.png': { body: huge, type: 'image/png' } });
    try {
      const cases: Array<[string, RegExp]> = [
        [host.url('/note.txt'), /does not point to an image/],
        [files.url('/broken.png'), /not an image Adsmith can read/],
        [files.url('/huge.png'), /7000×6000 pixels; at most 40000000 pixels are accepted/],
        [`data:text/plain;base64,${Buffer.from('plain text').toString('base64')}`, /does not hold an image/],
        ['file:///etc/passwd', /only http and https/],
      ];
      for (const [url, re] of cases) {
        const res = await s.gen({ template_id: '1062', brand_id: '121', smart_image: { input_image_url: url, scene: { operation: 'expand_image' } } });
        expect(res.statusCode, url).toBe(422);
        expect(res.json(), url).toMatch(/^Unprocessable Entity\. The URL does not point to a valid image or is inaccessible\. \(smart_image\.input_image_url: /);
        expect(res.json(), url).toMatch(re);
      }
    } finally {
      await files.close();
    }
  });
});
