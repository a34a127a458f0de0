import { freePort } from '../../src/cli/batch/embedded.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './helpers.js';

/**
 * /docs: Swagger UI over the server's own OpenAPI document, every asset served
 * by this server (from the files @fastify/swagger-ui ships), nothing from
 * another host; the document declares the token as security schemes so that
 * "Authorize" works, and its servers are this server.
 */
const LAUNCH_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update'];

let t: Awaited<ReturnType<typeof startApp>>;
let base = '';
beforeAll(async () => {
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  t = await startApp({ publicUrl: base });
  await t.app.listen({ port, host: '127.0.0.1' });
});
afterAll(async () => {
  await t.close();
});

/** Absolute http(s) URLs in a text whose host is not this server's. */
const externalUrls = (text: string) => [...text.matchAll(/https?:\/\/[^\s"'`)<>]+/g)].map((m) => m[0]).filter((u) => new URL(u).origin !== base);

describe('/docs (inject)', () => {
  it('serves Swagger UI whose scripts and styles are all local, with no validator and the document at /docs/json', async () => {
    const page = await t.app.inject('/docs');
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('<div id="swagger-ui"></div>');
    expect(page.body).toContain('<title>Adsmith API</title>');
    expect(externalUrls(page.body)).toEqual([]);
    const assets = [...page.body.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] as string);
    expect(assets).toEqual(expect.arrayContaining(['/docs/static/swagger-ui-bundle.js', '/docs/static/swagger-ui.css', '/docs/static/swagger-initializer.js']));
    for (const asset of assets) {
      expect(asset, 'a page asset must be a path on this server').toMatch(/^\/docs\/static\//);
      const res = await t.app.inject(asset);
      expect(res.statusCode, asset).toBe(200);
      expect(res.rawPayload.byteLength, asset).toBeGreaterThan(100);
      // Stylesheets may not pull fonts or images from elsewhere (SVG namespaces inside data: URIs are not loads).
      if (asset.endsWith('.css')) expect([...res.body.matchAll(/url\(\s*['"]?(https?:)?\/\//g)], asset).toEqual([]);
    }
    const init = (await t.app.inject('/docs/static/swagger-initializer.js')).body;
    expect(init).toMatch(/validatorUrl: null/);
    // Only code can load something: the one URL in the initializer is in a comment (a Stack Overflow link).
    expect(externalUrls(init.replace(/(^|\s)\/\/ .*$/gm, ''))).toEqual([]);
    expect(init).toContain("resolveUrl('./json')");
  });

  it('/docs/json is the same document as /openapi.json, with security schemes and this server in servers', async () => {
    const docsJson = (await t.app.inject('/docs/json')).json();
    const openapi = (await t.app.inject('/openapi.json')).json();
    expect(docsJson).toEqual(openapi);
    expect(openapi.components.securitySchemes).toEqual({
      api_token: expect.objectContaining({ type: 'apiKey', in: 'header', name: 'api_token' }),
      bearer: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(openapi.security).toEqual([{ api_token: [] }, { bearer: [] }]);
    expect(openapi.servers).toEqual([expect.objectContaining({ url: `${base}/v1` })]);
    expect(openapi.paths['/apps/run'].servers[0].url).toBe(base);
    // The token is asked once ("Authorize"), not as a header field of each operation.
    for (const [p, item] of Object.entries(openapi.paths as Record<string, Record<string, { parameters?: Array<{ in: string; name: string }>; security?: unknown[] }>>)) {
      for (const [method, op] of Object.entries(item)) {
        if (method === 'servers') continue;
        expect((op.parameters ?? []).filter((x) => x.in === 'header' && /^(api_token|authorization)$/i.test(x.name)), `${method} ${p}`).toEqual([]);
      }
    }
    // Routes that take no token say so; the others inherit the document's security.
    expect(openapi.paths['/results/{file}'].get.security).toEqual([]);
    expect(openapi.paths['/files/{id}/upload'].put.security).toEqual([]);
    expect(openapi.paths['/ads/generate'].post.security).toBeUndefined();
    expect(openapi.paths['/tasks/{id}'].get.security).toBeUndefined();
  });

  it('the documented security works: the same request with api_token and with Bearer, 401 without', async () => {
    const url = '/v1/ads/templates';
    expect((await t.app.inject({ url, headers: { api_token: t.token } })).statusCode).toBe(200);
    expect((await t.app.inject({ url, headers: { authorization: `Bearer ${t.token}` } })).statusCode).toBe(200);
    expect((await t.app.inject({ url })).statusCode).toBe(401);
  });
});

describe('/docs in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    // scripts/check-test-prereqs.mjs (npm test's pretest) makes sure this browser is there, or stops saying how to get it.
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: LAUNCH_ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
  });

  it('renders every operation from this server alone; Authorize + Try it out sends the token to this server', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requested: string[] = [];
    page.on('request', (req) => requested.push(req.url()));
    await page.goto(`${base}/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const doc = (await t.app.inject('/openapi.json')).json() as { paths: Record<string, Record<string, unknown>> };
    const operations = Object.values(doc.paths).flatMap((item) => Object.keys(item).filter((k) => k !== 'servers')).length;
    expect(await page.locator('.opblock').count()).toBe(operations);
    expect(await page.locator('.opblock-summary-path', { hasText: '/ads/generate' }).count()).toBeGreaterThan(0);
    expect(await page.locator('.btn.authorize').count()).toBe(1);

    // Authorize with the token (api_token scheme), then try GET /ads/templates.
    await page.locator('.btn.authorize').click();
    const tokenInput = page.locator('.modal-ux input').first();
    await tokenInput.fill(t.token);
    await page.locator('.modal-ux .auth-btn-wrapper .authorize').first().click();
    await page.locator('.modal-ux .btn-done').first().click();
    const templatesOp = page.locator('.opblock-get', { has: page.locator('.opblock-summary-path', { hasText: /^\/ads\/templates$/ }) });
    await templatesOp.locator('.opblock-summary').first().click();
    await templatesOp.locator('.try-out__btn').click();
    const answered = page.waitForResponse((res) => res.url() === `${base}/v1/ads/templates`);
    await templatesOp.locator('.execute').click();
    const res = await answered;
    expect(res.status()).toBe(200);
    expect(res.request().headers()['api_token']).toBe(t.token);
    await templatesOp.locator('.responses-wrapper .live-responses-table').waitFor();

    const shot = path.join(os.tmpdir(), 'adsmith-docs-page.png');
    await page.screenshot({ path: shot, fullPage: false });
    expect(fs.statSync(shot).size).toBeGreaterThan(10_000);
    // Nothing was loaded from another host (no CDN, no validator badge, no fonts).
    expect(requested.filter((u) => !u.startsWith(`${base}/`) && !u.startsWith('data:'))).toEqual([]);
    await page.close();
  }, 90_000);
});
