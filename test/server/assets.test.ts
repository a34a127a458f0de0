import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixtureBrand, fixtureTemplate, startApp, waitFor } from './helpers.js';

let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp();
});
afterAll(async () => {
  await t.close();
});

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');

function multipart(filename: string, bytes: Buffer, field = 'file') {
  const boundary = '----adsmithtest';
  const payload = Buffer.concat([
    Buffer.from(`--${boundary}\r\ncontent-disposition: form-data; name="${field}"; filename="${filename}"\r\ncontent-type: image/png\r\n\r\n`),
    bytes,
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

describe('private templates and brands', () => {
  it('create, read, update as new versions, delete; jobs keep the version they used', async () => {
    const h = { api_token: t.token };
    const created = await t.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: h, payload: fixtureTemplate('mine', false, 2) });
    expect(created.statusCode).toBe(201);
    const id = created.json().id as number;
    expect(id).toBeGreaterThanOrEqual(10000);
    expect(created.json().version).toBe(1);
    expect(created.json().document.id).toBe(String(id));

    const job = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: h, payload: { template_id: String(id) } });
    expect(job.statusCode).toBe(200);
    expect(job.json().result).toHaveLength(2);

    const updated = await t.app.inject({ method: 'PUT', url: `/v1/ads/templates/${id}`, headers: h, payload: { ...fixtureTemplate('mine', false, 3), name: 'Renamed' } });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ version: 2, name: 'Renamed' });
    const versions = await t.app.inject({ url: `/v1/ads/templates/${id}/versions`, headers: h });
    expect(versions.json().map((v: { version: number }) => v.version)).toEqual([1, 2]);
    const v1 = await t.app.inject({ url: `/v1/ads/templates/${id}/versions/1`, headers: h });
    expect(v1.json().document.scenes).toHaveLength(2);
    expect(v1.json()).toMatchObject({ version: 1, name: 'Fixture mine' });

    const status = await t.app.inject({ url: `/v1/jobs/${job.json().request_id}`, headers: h });
    expect(status.json()).toMatchObject({ template_id: String(id), template_version: 1 });
    expect(status.json().result).toHaveLength(2);

    const list = await t.app.inject({ url: '/v1/ads/templates', headers: h });
    expect(list.json().find((x: { id: number }) => x.id === id)).toMatchObject({ name: 'Renamed', number_of_ads: 3 });

    expect((await t.app.inject({ method: 'DELETE', url: `/v1/ads/templates/${id}`, headers: h })).statusCode).toBe(204);
    expect((await t.app.inject({ url: `/v1/ads/templates/${id}`, headers: h })).statusCode).toBe(404);
    const gone = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: h, payload: { template_id: String(id) } });
    expect(gone.statusCode).toBe(400);
    // the old job still renders from its snapshot
    const url = new URL(job.json().result[0].url).pathname;
    await waitFor(async () => (await t.app.inject(url)).statusCode === 200);
  });

  it('documents are validated by the engine schema: 400 naming the JSON path', async () => {
    const bad = fixtureTemplate('bad', false, 1) as unknown as { scenes: Array<{ width: unknown }> };
    (bad.scenes[0] as { width: unknown }).width = 'wide';
    const res = await t.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: t.token }, payload: bad });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/\$\.scenes\[0\]\.width/);
    const brand = { ...fixtureBrand('b'), colors: { ...fixtureBrand('b').colors, primary: 'red' } };
    const res2 = await t.app.inject({ method: 'POST', url: '/v1/ads/brands', headers: { api_token: t.token }, payload: brand });
    expect(res2.statusCode).toBe(400);
    expect(res2.json().error.message).toMatch(/\$\.colors\.primary/);
    const res3 = await t.app.inject({ method: 'POST', url: '/v1/ads/brands', headers: { api_token: t.token, 'content-type': 'application/json' }, payload: '"x"' });
    expect(res3.statusCode).toBe(400);
  });

  it('brands: private brand with a private template renders; other orgs cannot see or use them', async () => {
    const h = { api_token: t.token };
    const brand = await t.app.inject({ method: 'POST', url: '/v1/ads/brands', headers: h, payload: fixtureBrand('pb') });
    const tpl = await t.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: h, payload: fixtureTemplate('pt', true, 1) });
    const ok = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: h, payload: { template_id: String(tpl.json().id), brand_id: String(brand.json().id) } });
    expect(ok.statusCode).toBe(200);
    const other = await t.newOrg('pro');
    const o = { api_token: other.token };
    expect((await t.app.inject({ url: `/v1/ads/brands/${brand.json().id}`, headers: o })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'PUT', url: `/v1/ads/brands/${brand.json().id}`, headers: o, payload: fixtureBrand('x') })).statusCode).toBe(404);
    expect((await t.app.inject({ method: 'DELETE', url: `/v1/ads/templates/${tpl.json().id}`, headers: o })).statusCode).toBe(404);
    const use = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: o, payload: { template_id: String(tpl.json().id), brand_id: String(brand.json().id) } });
    expect(use.statusCode).toBe(400);
    expect(use.json().error.message).toMatch(/is not a public template nor one of your private templates/);
    expect((await t.app.inject({ url: '/v1/ads/brands', headers: o })).json()).toEqual([]);
  });

  it('serves the JSON Schemas and the public brand documents', async () => {
    const s = await t.app.inject('/v1/schemas/template.json');
    expect(s.statusCode).toBe(200);
    expect(s.json().title).toBe('Adsmith template');
    expect((await t.app.inject('/v1/schemas/brand.json')).json().title).toBe('Adsmith brand');
    const b = await t.app.inject({ url: '/v1/ads/brands/167', headers: { api_token: t.token } });
    expect(b.json()).toMatchObject({ public: true, document: { id: '167' } });
  });
});

describe('uploads', () => {
  it('uploads an image (sniffed) and returns a URL usable as element content', async () => {
    const mp = multipart('logo.png', PNG);
    const res = await t.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: t.token, ...mp.headers }, payload: mp.payload });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ mime_type: 'image/png', size: PNG.length, filename: 'logo.png' });
    const url = res.json().url as string;
    expect(url).toMatch(/^http:\/\/ads\.test\/v1\/files\/[A-Za-z0-9_-]{32}$/);
    const got = await t.app.inject(new URL(url).pathname);
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/png');
    expect(got.rawPayload.equals(PNG)).toBe(true);
    // usable as image content (checked without the network: own files come from the blob store)
    const gen = await t.app.inject({
      method: 'POST',
      url: '/v1/ads/generate',
      headers: { api_token: t.token },
      payload: { template_id: '1061', elements: [{ layer_type: 'image', content_type: 'Image #1', content: url }] },
    });
    expect(gen.statusCode).toBe(200);
    const list = await t.app.inject({ url: '/v1/files', headers: { api_token: t.token } });
    expect(list.json().map((f: { url: string }) => f.url)).toContain(url);
    const other = await t.newOrg('pro');
    expect((await t.app.inject({ url: '/v1/files', headers: { api_token: other.token } })).json()).toEqual([]);
    expect((await t.app.inject({ method: 'DELETE', url: new URL(url).pathname, headers: { api_token: other.token } })).statusCode).toBe(404);
    // another organisation cannot render with it either
    const theirs = await t.app.inject({
      method: 'POST',
      url: '/v1/ads/generate',
      headers: { api_token: other.token },
      payload: { template_id: '1061', elements: [{ layer_type: 'image', content_type: 'Image #1', content: url }] },
    });
    expect(theirs.statusCode).toBe(422);
    expect(theirs.json()).toMatch(/elements\[0\]\.content.*another organisation/);
  });

  it('refuses a file whose bytes are not an image or font, whatever its name says', async () => {
    const mp = multipart('evil.png', Buffer.from('<html><script>alert(1)</script></html>'));
    const res = await t.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: t.token, ...mp.headers }, payload: mp.payload });
    expect(res.statusCode).toBe(415);
    expect(res.json().error.message).toMatch(/evil\.png.*not a supported image or font/);
  });

  it('refuses files over the size limit and requests without a file', async () => {
    const small = await startApp({ uploadLimit: 1000 });
    const mp = multipart('big.png', Buffer.concat([PNG, Buffer.alloc(5000)]));
    const res = await small.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: small.token, ...mp.headers }, payload: mp.payload });
    expect(res.statusCode).toBe(413);
    const none = await small.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: small.token, 'content-type': 'application/json' }, payload: '{}' });
    expect(none.statusCode).toBe(400);
    expect(none.json().error.message).toMatch(/multipart\/form-data/);
    const wrongField = multipart('a.png', PNG, 'upload');
    const wf = await small.app.inject({ method: 'POST', url: '/v1/files', headers: { api_token: small.token, ...wrongField.headers }, payload: wrongField.payload });
    expect(wf.statusCode).toBe(400);
    await small.close();
  });
});

describe('plans', () => {
  it('free plan: 1000 requests in total, then the contract 403 text', async () => {
    const free = await t.newOrg('free', 'freebie');
    await t.ctx.store.countRequest(free.org.id, null);
    (t.ctx.store as unknown as { db: { prepare(s: string): { run(...a: unknown[]): void } } }).db.prepare('UPDATE orgs SET request_count = 999 WHERE id = ?').run(free.org.id);
    const ok = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: free.token }, payload: { template_id: '1061' } });
    expect(ok.statusCode).toBe(200);
    const no = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: free.token }, payload: { template_id: '1061' } });
    expect(no.statusCode).toBe(403);
    expect(no.json()).toBe('Quota exceeded: Free users can make up to 1000 requests in total. Please upgrade your plan to continue using the service.');
    // bad requests are not counted, and nothing was written
    const jobs = await t.app.inject({ url: '/v1/jobs', headers: { api_token: free.token } });
    expect(jobs.json()).toHaveLength(1);
  });

  it('features outside the plan: contract Access denied 403', async () => {
    const free = await t.newOrg('free', 'nofeatures');
    const res = await t.app.inject({ method: 'POST', url: '/v1/ads/templates', headers: { api_token: free.token }, payload: fixtureTemplate('f', false, 1) });
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatch(/^Access denied: Your subscription does not include access to this feature\/product\./);
    const hd = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: free.token }, payload: { template_id: '1061', scale: 2 } });
    expect(hd.statusCode).toBe(403);
    expect(hd.json()).toMatch(/hd_output/);
  });

  it('requests per minute: 429 with Retry-After', async () => {
    const free = await t.newOrg('free', 'busy');
    let last = null;
    for (let i = 0; i < 61; i++) last = await t.app.inject({ url: '/v1/ads/brands', headers: { api_token: free.token } });
    expect(last?.statusCode).toBe(429);
    expect(Number(last?.headers['retry-after'])).toBeGreaterThan(0);
    expect(last?.json().error.message).toMatch(/60 requests per minute/);
    // other orgs are not affected
    expect((await t.app.inject({ url: '/v1/ads/brands', headers: { api_token: t.token } })).statusCode).toBe(200);
  });

  it('revoked tokens are refused', async () => {
    const { org, token } = await t.newOrg('pro', 'revoker');
    const { createToken, revokeToken } = await import('../../src/admin/index.js');
    const second = await createToken(t.ctx.store, org.id, { label: 'ci' });
    expect((await t.app.inject({ url: '/v1/ads/brands', headers: { api_token: second.token } })).statusCode).toBe(200);
    expect(await revokeToken(t.ctx.store, second.id)).toBe(true);
    expect((await t.app.inject({ url: '/v1/ads/brands', headers: { api_token: second.token } })).statusCode).toBe(401);
    expect(await revokeToken(t.ctx.store, token)).toBe(true);
    expect((await t.app.inject({ url: '/v1/ads/brands', headers: { api_token: token } })).statusCode).toBe(401);
  });
});

describe('docs', () => {
  it('/openapi.json is a superset of the contract; /docs is the interactive reference of that document', async () => {
    const doc = (await t.app.inject('/openapi.json')).json();
    for (const p of ['/ads/generate', '/ads/brands', '/ads/templates', '/ads/templates/{template_id}', '/jobs/{id}', '/files', '/webhooks/deliveries']) expect(doc.paths[p]).toBeTruthy();
    expect(doc.paths['/ads/generate'].post.responses['403']).toBeTruthy();
    const page = await t.app.inject('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<div id="swagger-ui"></div>');
    // The page renders /docs/json (test/server/docs-page.test.ts drives it in Chromium).
    expect((await t.app.inject('/docs/json')).json().servers).toEqual([expect.objectContaining({ url: 'http://ads.test/v1' })]);
  });

  it('unknown routes are a JSON 404', async () => {
    const res = await t.app.inject('/v1/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json().error.message).toMatch(/There is no GET \/v1\/nope/);
  });
});
