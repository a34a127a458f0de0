import { GetObjectCommand } from '@aws-sdk/client-s3';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { startLocalS3, type LocalS3 } from '../blob/local-s3.js';
import { FAKE_WORKER, fixtureEngine, startApp, tempDir, waitFor } from './helpers.js';

/**
 * The server on an S3 blob store (s3rver on loopback): results are written to the bucket and served by the
 * API's own result URLs; with a public URL (ADSMITH_S3_PUBLIC_URL) a finished result URL redirects there.
 * A missing bucket stops the start with an error naming it.
 */
let s3: LocalS3;
beforeAll(async () => {
  s3 = await startLocalS3();
});
afterAll(async () => {
  await s3?.close();
});

const CDN = 'https://cdn.ads.test/assets';

async function generate(t: Awaited<ReturnType<typeof startApp>>, content: string) {
  const res = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token }, payload: { template_id: '1061', elements: [{ content_type: 'Heading #1', content }] } });
  expect(res.statusCode).toBeLessThan(300);
  const body = res.json() as { request_id: string; result: Array<{ url: string }> };
  return { id: body.request_id, url: new URL(body.result[0]!.url).pathname };
}

describe('results on S3', () => {
  it('the API serves a result it stored in the bucket: 202 while rendering, then 200 with the bytes', async () => {
    const t = await startApp({}, { blobStore: s3.descriptor({ prefix: 'api-served' }) });
    try {
      const { id, url } = await generate(t, '__sleep:300');
      expect((await t.app.inject(url)).statusCode).toBe(202);
      const done = await waitFor(async () => {
        const r = await t.app.inject(url);
        return r.statusCode === 200 ? r : null;
      });
      expect(done.headers['content-type']).toBe('image/png');
      const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `api-served/results/${id}/0.png` }));
      expect(Buffer.from(await object.Body!.transformToByteArray()).equals(done.rawPayload)).toBe(true);
    } finally {
      await t.close();
    }
  });

  it('with a public URL, a finished result URL answers 302 to the bucket/CDN address; 202 and 304 stay the API\'s', async () => {
    const t = await startApp({}, { blobStore: s3.descriptor({ prefix: 'cdn-served', publicUrl: `${CDN}/` }) });
    try {
      const { id, url } = await generate(t, '__sleep:300');
      const early = await t.app.inject(url);
      expect(early.statusCode).toBe(202);
      const done = await waitFor(async () => {
        const r = await t.app.inject(url);
        return r.statusCode !== 202 ? r : null;
      });
      expect(done.statusCode).toBe(302);
      expect(done.headers['location']).toBe(`${CDN}/cdn-served/results/${id}/0.png`);
      expect(done.headers['cache-control']).toBe('public, max-age=86400');
      expect(done.headers['content-type']).toBeUndefined();
      expect(done.rawPayload.length).toBe(0);
      // What the redirect points at is there: the object under that key.
      const object = await s3.client.send(new GetObjectCommand({ Bucket: s3.bucket, Key: `cdn-served/results/${id}/0.png` }));
      expect(object.ContentType).toBe('image/png');
      const etag = String(done.headers['etag']);
      expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
      expect((await t.app.inject({ url, headers: { 'if-none-match': etag } })).statusCode).toBe(304);
    } finally {
      await t.close();
    }
  });

  it('a missing bucket is a start-up error that names S3 and the bucket', async () => {
    const dataDir = tempDir();
    try {
      const config = loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://ads.test', workers: 1, logger: false });
      const { app } = await buildApp(config, { engine: fixtureEngine, workerScript: FAKE_WORKER, blobStore: s3.descriptor({ bucket: 'adsmith-never-created' }) });
      await expect(app.ready()).rejects.toThrow(`S3 bucket "adsmith-never-created" does not exist at ${s3.endpoint}`);
      await app.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
