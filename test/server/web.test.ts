import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from './helpers.js';

describe('front end served by the API server', () => {
  let server: Awaited<ReturnType<typeof startApp>>;
  beforeAll(async () => {
    server = await startApp();
  });
  afterAll(async () => server.close());

  it('serves the playground at / and its hashed assets under /ui/ with no external URL', async () => {
    const page = await server.app.inject({ method: 'GET', url: '/' });
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const scripts = [...page.body.matchAll(/(?:src|href)="(\/ui\/assets\/[^"]+)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    for (const url of scripts) {
      const asset = await server.app.inject({ method: 'GET', url });
      expect(asset.statusCode, url).toBe(200);
      expect(asset.headers['cache-control']).toContain('immutable');
      // Nothing loads from a CDN: no absolute http(s) URL is imported by the bundle.
      expect(asset.body).not.toMatch(/\bimport\s*\(?\s*["']https?:/);
    }
    expect(page.body).not.toMatch(/(?:src|href)="https?:/);
  });

  it('answers a missing asset with the JSON 404', async () => {
    const res = await server.app.inject({ method: 'GET', url: '/ui/assets/nope.js' });
    expect(res.statusCode).toBe(404);
  });
});
