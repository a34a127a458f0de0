import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectContract, fixtureBrand, fixtureTemplate, startApp } from './helpers.js';

let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp({}, {});
});
afterAll(async () => {
  await t.close();
});

const get = (url: string, token = t.token) => t.app.inject({ url, headers: { api_token: token } });

describe('GET /v1/ads/templates and /v1/ads/brands with include=public', () => {
  it('lists the public ones first, then the caller\'s private ones, each marked; the default stays the contract\'s private list', async () => {
    const org = await t.newOrg('pro', 'lister');
    const tpl = await t.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: org.token }, payload: fixtureTemplate('p', false, 2) });
    expect(tpl.statusCode).toBe(201);
    const brand = await t.app.inject({ method: 'POST', url: '/v1/ads/brands', headers: { api_token: org.token }, payload: fixtureBrand('b') });
    expect(brand.statusCode).toBe(201);

    const plain = await get('/v1/ads/templates', org.token);
    expect(plain.json().map((x: { id: number }) => x.id)).toEqual([tpl.json().id]);
    expect(plain.json()[0]).not.toHaveProperty('public');

    const templates = await get('/v1/ads/templates?include=public', org.token);
    expect(templates.statusCode).toBe(200);
    expectContract('/ads/templates', 'get', templates);
    expect(templates.json().map((x: { id: number; public: boolean; requires_brand: boolean; number_of_ads: number }) => [x.id, x.public, x.requires_brand, x.number_of_ads])).toEqual([
      [1061, true, false, 2],
      [1062, true, true, 3],
      [tpl.json().id, false, false, 2],
    ]);

    const brands = await get('/v1/ads/brands?include=public', org.token);
    expect(brands.statusCode).toBe(200);
    expectContract('/ads/brands', 'get', brands);
    expect(brands.json().map((x: { id: number; public: boolean }) => [x.id, x.public])).toEqual([
      [167, true], [166, true], [122, true], [121, true], [120, true], [brand.json().id, false],
    ]);
    // Another organisation sees the public ones but not this one's.
    const theirs = await get('/v1/ads/brands?include=public');
    expect(theirs.json().map((x: { id: number }) => x.id)).toEqual([167, 166, 122, 121, 120]);
  });

  it('an unknown include value is a 400 that says what to send', async () => {
    for (const url of ['/v1/ads/templates?include=all', '/v1/ads/brands?include=']) {
      const res = await get(url);
      expect(res.statusCode).toBe(400);
      expect(res.json().error.message).toMatch(/^include "[a-z]*" is not known: send include=public/);
    }
  });

  it('still needs a token', async () => {
    const res = await t.app.inject({ url: '/v1/ads/templates?include=public' });
    expect(res.statusCode).toBe(401);
  });
});
