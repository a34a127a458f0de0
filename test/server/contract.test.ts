import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectContract, startApp, waitFor } from './helpers.js';

let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t.close();
});

const gen = (body: unknown, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token, ...headers }, payload: body as object });

describe('the four contract endpoints', () => {
  it('healthz', async () => {
    const res = await t.app.inject('/healthz');
    expect(res.statusCode).toBe(200);
  });

  it('401 without or with a wrong token, on every endpoint', async () => {
    for (const [method, url, key] of [
      ['POST', '/v1/ads/generate', '/ads/generate'],
      ['GET', '/v1/ads/brands', '/ads/brands'],
      ['GET', '/v1/ads/templates', '/ads/templates'],
      ['GET', '/v1/ads/templates/1061', '/ads/templates/{template_id}'],
    ] as const) {
      for (const headers of [{}, { api_token: 'nope-nope-nope-nope' }, { authorization: 'Bearer wrong-wrong-wrong' }]) {
        const res = await t.app.inject({ method, url, headers, ...(method === 'POST' ? { payload: { template_id: '1061' } } : {}) });
        expect(res.statusCode).toBe(401);
        expectContract(key, method.toLowerCase(), res);
        expect(res.body).not.toMatch(/at .*\.ts/);
      }
    }
  });

  it('accepts Authorization: Bearer', async () => {
    const res = await t.app.inject({ url: '/v1/ads/brands', headers: { authorization: `Bearer ${t.token}` } });
    expect(res.statusCode).toBe(200);
  });

  it('generate answers at once with one result per scene, in the contract shape', async () => {
    const res = await gen({ template_id: '1062', brand_id: '167', elements: [{ layer_type: 'text', content_type: 'Heading #1', content: 'Sale' }] });
    expect(res.statusCode).toBe(200);
    expectContract('/ads/generate', 'post', res);
    const body = res.json();
    expect(body.result).toHaveLength(3);
    expect(body.request_id).toMatch(/^job_/);
    expect(body.status_url).toBe(`http://ads.test/v1/jobs/${body.request_id}`);
    for (const r of body.result) {
      expect(r.url).toMatch(/^http:\/\/ads\.test\/v1\/results\/[A-Za-z0-9_-]{32}\.png$/);
      expect(r.editor_iframe).toMatch(/^http:\/\/ads\.test\/editor\//);
      expect(Object.keys(r.resolution).sort()).toEqual(['height', 'width']);
    }
    expect(body.result[1].resolution).toEqual({ width: 110, height: 60 });
    // every URL turns 200 with a non-empty PNG
    for (const r of body.result) {
      const path = new URL(r.url).pathname;
      const img = await waitFor(async () => {
        const x = await t.app.inject(path);
        return x.statusCode === 200 ? x : null;
      });
      expect(img.headers['content-type']).toBe('image/png');
      expect(img.rawPayload.length).toBeGreaterThan(0);
    }
  });

  it('1061 needs no brand and ignores an unknown brand_id', async () => {
    expect((await gen({ template_id: '1061' })).statusCode).toBe(200);
    expect((await gen({ template_id: 1061, brand_id: '999999' })).statusCode).toBe(200);
  });

  it('1062 without brand_id is a 400 that says so', async () => {
    const res = await gen({ template_id: '1062' });
    expect(res.statusCode).toBe(400);
    expectContract('/ads/generate', 'post', res);
    expect(res.json().error.message).toMatch(/brand_id/);
  });

  it('a public template with a private brand is a 400 that says so', async () => {
    const brand = await t.app.inject({
      method: 'POST',
      url: '/v1/ads/brands',
      headers: { api_token: t.token },
      payload: { ...(await import('./helpers.js')).fixtureBrand('x'), name: 'Private brand' },
    });
    expect(brand.statusCode).toBe(201);
    const res = await gen({ template_id: '1062', brand_id: String(brand.json().id) });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/public template.*private brand|public templates work only with public brands/);
  });

  it('a private template with a public brand is a 400 that says so', async () => {
    const { fixtureTemplate } = await import('./helpers.js');
    const tpl = await t.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: t.token }, payload: fixtureTemplate('p', true, 1) });
    expect(tpl.statusCode).toBe(201);
    const res = await gen({ template_id: String(tpl.json().id), brand_id: '167' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/private template but brand_id "167" is a public brand/);
  });

  it('bad input: 400 naming the field, never a 500', async () => {
    const cases: Array<[unknown, RegExp]> = [
      [{}, /template_id is required/],
      [{ template_id: '1061', colour: 'red' }, /colour is not a known field/],
      [{ template_id: '1061', elements: 'x' }, /elements must be array/],
      [{ template_id: '1061', elements: [{ content: 5 }] }, /elements\[0\]\.content must be string/],
      [{ template_id: '1061', elements: [{ content_type: 'Heading #9', content: 'x' }] }, /elements\[0\]\.content_type "Heading #9"/],
      [{ template_id: '1061', elements: [{ id: 'nope', content: 'x' }] }, /elements\[0\]\.id "nope"/],
      [{ template_id: '1061', smart_image: { scene: { operation: 'paint' } } }, /smart_image\.scene\.operation must be one of/],
      [{ template_id: '1061', smart_image: {} }, /smart_image\.input_image_url is required/],
      [{ template_id: '9999' }, /template_id "9999" is not a public template/],
      [{ template_id: '1062', brand_id: '4242' }, /brand_id "4242" is not a public brand/],
      [{ template_id: '1061', output_format: 'bmp' }, /output_format must be one of/],
      [{ template_id: '1061', webhook_url: 'ftp://x' }, /webhook_url/],
    ];
    for (const [body, re] of cases) {
      const res = await gen(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expectContract('/ads/generate', 'post', res);
      expect(res.json().error.message, JSON.stringify(body)).toMatch(re);
    }
    const bad = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token, 'content-type': 'application/json' }, payload: '{"template_id": ' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.message).toMatch(/not valid JSON/);
    const arr = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token, 'content-type': 'application/json' }, payload: '[1]' });
    expect(arr.statusCode).toBe(400);
    const big = await t.app.inject({
      method: 'POST',
      url: '/v1/ads/generate',
      headers: { api_token: t.token, 'content-type': 'application/json' },
      payload: JSON.stringify({ template_id: '1061', elements: [{ content: 'x'.repeat(2 * 1024 * 1024) }] }),
    });
    expect(big.statusCode).toBe(413);
    expect(big.json().error.message).toMatch(/larger than the limit/);
  });

  it('an unreachable or refused image URL is the contract 422 naming the parameter', async () => {
    const res = await gen({ template_id: '1061', elements: [{ layer_type: 'image', content_type: 'Image #1', content: 'http://127.0.0.1:1/x.png' }] });
    expect(res.statusCode).toBe(422);
    expectContract('/ads/generate', 'post', res);
    expect(res.json()).toMatch(/^Unprocessable Entity\. The URL does not point to a valid image or is inaccessible\. \(elements\[0\]\.content: /);
    const res2 = await gen({ template_id: '1061', smart_image: { input_image_url: 'file:///etc/passwd' } });
    expect(res2.statusCode).toBe(422);
    expect(res2.json()).toMatch(/smart_image\.input_image_url/);
  });

  it('lists only the caller\'s private brands and templates, in the contract shape', async () => {
    const brands = await t.app.inject({ url: '/v1/ads/brands', headers: { api_token: t.token } });
    expect(brands.statusCode).toBe(200);
    expectContract('/ads/brands', 'get', brands);
    const templates = await t.app.inject({ url: '/v1/ads/templates', headers: { api_token: t.token } });
    expect(templates.statusCode).toBe(200);
    expectContract('/ads/templates', 'get', templates);
    const other = await t.newOrg('pro');
    const theirs = await t.app.inject({ url: '/v1/ads/templates', headers: { api_token: other.token } });
    expect(theirs.json()).toEqual([]);
  });

  it('template by id: contract shape, 404 when unknown or another org\'s', async () => {
    const res = await t.app.inject({ url: '/v1/ads/templates/1062', headers: { api_token: t.token } });
    expect(res.statusCode).toBe(200);
    expectContract('/ads/templates/{template_id}', 'get', res);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['scene_1', 'scene_2', 'scene_3', 'scene_resolutions']);
    expect(body.scene_1[0]).toMatchObject({ id: 'h0', layer_type: 'text', content_type: 'Heading #1', scene_number: 1 });
    const missing = await t.app.inject({ url: '/v1/ads/templates/424242', headers: { api_token: t.token } });
    expect(missing.statusCode).toBe(404);
    expectContract('/ads/templates/{template_id}', 'get', missing);
    const { fixtureTemplate } = await import('./helpers.js');
    const mine = await t.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: t.token }, payload: fixtureTemplate('q', false, 1) });
    const other = await t.newOrg('pro');
    const theirs = await t.app.inject({ url: `/v1/ads/templates/${mine.json().id}`, headers: { api_token: other.token } });
    expect(theirs.statusCode).toBe(404);
    const ok = await t.app.inject({ url: `/v1/ads/templates/${mine.json().id}`, headers: { api_token: t.token } });
    expect(ok.statusCode).toBe(200);
    expectContract('/ads/templates/{template_id}', 'get', ok);
  });
});

describe('SDK leniency', () => {
  it('optional fields sent as null count as absent', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/ads/generate',
      headers: { api_token: t.token },
      payload: { template_id: '1061', brand_id: null, smart_image: null, content_moderation: null, elements: [{ id: null, layer_type: 'text', content_type: 'Heading #1', content: 'Hi' }] },
    });
    expect(res.statusCode).toBe(200);
    expectContract('/ads/generate', 'post', res);
  });
});
