import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { flaggedPng, LIFESTYLE_JPG, PRODUCT_PNG, serveBytes, startRealServer, TOKEN } from './smart-image-helpers.js';

/**
 * Content moderation with the real NSFW model and profanity matcher, on the real
 * server. The flagged input is the shipped product photo perturbed until the
 * model scores it unsafe (test/jobs/fixtures); the public assets must pass.
 */
let s: Awaited<ReturnType<typeof startRealServer>>;
let host: Awaited<ReturnType<typeof serveBytes>>;
const FLAGGED = flaggedPng();

beforeAll(async () => {
  s = await startRealServer();
  host = await serveBytes({
    '/product.png': { body: PRODUCT_PNG, type: 'image/png' },
    '/lifestyle.jpg': { body: LIFESTYLE_JPG, type: 'image/jpeg' },
    '/flagged.png': { body: FLAGGED, type: 'image/png' },
  });
}, 120_000);
afterAll(async () => {
  await host?.close();
  await s?.close();
});

const moderationText = (parameter: string) => `The request could not be completed because the visual in the '${parameter}' parameter did not pass content moderation.`;
const jobsCount = async () => (await s.app.inject({ url: '/v1/jobs', headers: { api_token: TOKEN } })).json().length as number;
const heading = (content: string) => ({ layer_type: 'text', content_type: 'Heading #1', content });
/** An accepted job these tests do not need rendered: cancelled at once, so it does not slow the next test. */
const cancel = (res: { json: () => { request_id: string } }) => s.app.inject({ method: 'POST', url: `/v1/jobs/${res.json().request_id}/cancel`, headers: { api_token: TOKEN } });
const image = (url: string) => ({ layer_type: 'image', content_type: 'Image #1', content: url });

describe('input moderation (content_moderation: true), before the job is accepted', () => {
  it('a flagged smart-image input: the contract 422 naming smart_image.input_image_url; nothing is written', async () => {
    const before = await jobsCount();
    const res = await s.gen({ template_id: '1062', brand_id: '121', content_moderation: true, smart_image: { input_image_url: host.url('/flagged.png'), scene: { operation: 'expand_image' } } });
    expect(res.statusCode).toBe(422);
    expect(res.json()).toBe(moderationText('smart_image.input_image_url'));
    expect(await jobsCount()).toBe(before);
  });

  it('a flagged image element and profane text: 422 naming the element; the first failure in request order wins', async () => {
    const cases: Array<[object[], string]> = [
      [[heading('Summer sale'), image(host.url('/flagged.png'))], 'elements[1].content'],
      [[image(host.url('/product.png')), heading('What the fuck is this price')], 'elements[1].content'],
      [[heading('Sh1t deals'), image(host.url('/flagged.png'))], 'elements[0].content'],
      [[image(host.url('/flagged.png')), heading('What the fuck')], 'elements[0].content'],
      [[{ layer_type: 'text', content_type: 'Body #1', content: 'fine' }, { id: 's1-heading', content: 'bullshit' }], 'elements[1].content'],
    ];
    for (const [elements, parameter] of cases) {
      const res = await s.gen({ template_id: '1062', brand_id: '121', content_moderation: true, elements });
      expect(res.statusCode, JSON.stringify(elements)).toBe(422);
      expect(res.json()).toBe(moderationText(parameter));
    }
  });

  it('no false positives: words holding a listed substring, and every public image input, pass', async () => {
    const res = await s.gen({
      template_id: '1062',
      brand_id: '167',
      content_moderation: true,
      elements: [heading('Cocktail hour in Scunthorpe'), { layer_type: 'text', content_type: 'Body #1', content: 'Shiitake risotto, a classic from the cockpit of our kitchen' }, image(host.url('/lifestyle.jpg'))],
      smart_image: { input_image_url: host.url('/product.png'), scene: { operation: 'lifestyle_shot_by_text', input: 'warm sand at sunset' } },
    });
    expect(res.statusCode, res.body).toBe(200);
    await cancel(res);
  });

  it('without content_moderation nothing is checked (moderation is opt-in, as in the contract)', async () => {
    const res = await s.gen({ template_id: '1062', brand_id: '121', elements: [heading('What the fuck'), image(host.url('/flagged.png'))] });
    expect(res.statusCode).toBe(200);
    await cancel(res);
  });

  it('the model passes every shipped image and brand logo', async () => {
    const root = new URL('../../src/assets/', import.meta.url).pathname;
    const files = [path.join(root, 'images/product.png'), path.join(root, 'images/lifestyle.jpg')];
    for (const brand of fs.readdirSync(path.join(root, 'brands'))) {
      const dir = path.join(root, 'brands', brand);
      if (fs.statSync(dir).isDirectory()) for (const f of fs.readdirSync(dir)) if (f.endsWith('.svg')) files.push(path.join(dir, f));
    }
    expect(files.length).toBeGreaterThan(10);
    for (const f of files) {
      const { verdict } = await s.ctx.models!.classify(fs.readFileSync(f));
      expect(verdict.safe, `${path.relative(root, f)}: ${JSON.stringify(verdict.scores)}`).toBe(true);
    }
    const { verdict } = await s.ctx.models!.classify(FLAGGED);
    expect(verdict).toMatchObject({ safe: false, label: 'Porn' });
    // Twenty-odd classifications one after another: 20 s on a quiet 2-core machine, over a minute when loaded.
  }, 180_000);
});

describe('output moderation: a flagged ad is a zero-byte file at its URL', () => {
  /** A private template: scene 1 shows the flagged picture full-bleed (the template's own image, not a request input), scene 2 the product. */
  async function twoSceneTemplate(): Promise<string> {
    const scene = (name: string, src: string) => ({
      name,
      width: 224,
      height: 224,
      background: { type: 'color', color: '#ffffff' },
      elements: [{ id: `img-${name}`, layer_type: 'image', content_type: null, content: src, box: { x: 0, y: 0, width: 224, height: 224 }, style: { fit: 'cover' } }],
    });
    const doc = {
      schema_version: 1,
      name: 'Moderation probe',
      description: 'Scene 1 draws the flagged fixture, scene 2 the product',
      requires_brand: false,
      scenes: [scene('flagged', `data:image/png;base64,${FLAGGED.toString('base64')}`), scene('product', 'asset:images/product.png')],
    };
    const res = await s.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: TOKEN }, payload: doc });
    expect(res.statusCode, res.body).toBe(201);
    return String(res.json().id);
  }

  it('the flagged render is stored empty (200, zero bytes), the clean one as usual; without moderation both are images', async () => {
    const id = await twoSceneTemplate();
    const moderated = await s.gen({ template_id: id, content_moderation: true, sync: true });
    expect(moderated.statusCode, moderated.body).toBe(200);
    const status = await s.jobStatus(moderated.json().request_id);
    expect(status.status).toBe('COMPLETED');
    expect(status.result[0]).toMatchObject({ status: 'moderated', moderated: true });
    expect(status.result[0].warnings.join(' ')).toMatch(/content moderation: this ad was flagged \(Porn 0\.\d\d ≥ 0\.60\) and is served as a zero-byte file/);
    expect(status.result[1].status).toBe('done');
    const flagged = await s.result(moderated.json().result[0].url);
    expect(flagged.statusCode).toBe(200);
    expect(flagged.rawPayload.length).toBe(0);
    expect(flagged.headers['x-adsmith-moderated']).toBe('true');
    const clean = await s.result(moderated.json().result[1].url);
    expect(clean.statusCode).toBe(200);
    expect(clean.rawPayload.subarray(1, 4).toString()).toBe('PNG');

    const open = await s.gen({ template_id: id, sync: true });
    for (const r of open.json().result) {
      const got = await s.result(r.url);
      expect(got.statusCode).toBe(200);
      expect(got.rawPayload.length).toBeGreaterThan(1000);
    }
  });

  it('no false positives on the public templates: every scene of 1062 and 1061 with moderation is delivered', async () => {
    for (const body of [
      { template_id: '1062', brand_id: '166', smart_image: { input_image_url: host.url('/product.png'), scene: { operation: 'lifestyle_shot_by_text', input: '#f4efe6' } } },
      { template_id: '1061' },
    ]) {
      const res = await s.gen({ ...body, content_moderation: true, sync: true });
      expect(res.statusCode, res.body).toBe(200);
      const status = await s.jobStatus(res.json().request_id);
      expect(status.result.map((r: { status: string }) => r.status)).toEqual(Array(8).fill('done'));
    }
  });
});
