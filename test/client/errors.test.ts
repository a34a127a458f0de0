import Database from 'better-sqlite3';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  Adsmith,
  AuthError,
  BadRequestError,
  ConflictError,
  ConnectionError,
  errorFromResponse,
  ForbiddenError,
  NotFoundError,
  QuotaExceededError,
  RateLimitError,
  ServerError,
  UnprocessableError,
  UnsupportedMediaTypeError,
} from '../../src/client/index.js';
import { freePort, startServer, type TestServer } from './server.js';

/** Every status of the contract, answered by the real server, arrives as its typed error. */
let s: TestServer;
let adsmith: Adsmith;
beforeAll(async () => {
  s = await startServer({ workers: 1 });
  adsmith = new Adsmith({ apiKey: s.token, baseUrl: s.url, maxRetries: 0 });
});
afterAll(async () => s.close());

describe('typed errors from the real server', () => {
  it('401: a wrong token is AuthError', async () => {
    const wrong = new Adsmith({ apiKey: 'not-a-real-token-000000', baseUrl: s.url });
    const err = await wrong.templates.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    expect(err).toMatchObject({ status: 401, code: 'ADS_UNAUTHORIZED', request: 'GET /v1/ads/templates' });
    expect((err as Error).message).toMatch(/^Unauthorized\. Invalid API key/);
  });

  it('400: a field the template does not have is BadRequestError naming it', async () => {
    const err = await adsmith.generate({ template_id: '1062', brand_id: '167', elements: [{ content_type: 'Headline', content: 'x' }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BadRequestError);
    expect(err).toMatchObject({ status: 400, code: 'ADS_UNKNOWN_CONTENT_TYPE' });
    expect((err as Error).message).toMatch(/^elements\[0\]\.content_type "Headline" is not a slot of template 1062/);
  });

  it('404: an unknown template is NotFoundError', async () => {
    const err = await adsmith.templates.get('999999').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(NotFoundError);
    expect((err as Error).message).toBe('Template "999999" was not found.');
  });

  it('409: cancelling a finished job is ConflictError', async () => {
    const done = await adsmith.generate({ template_id: '1061' });
    const err = await adsmith.jobs.cancel(done.request_id).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConflictError);
    expect((err as Error).message).toMatch(/already COMPLETED and cannot be cancelled/);
  });

  it('415: uploading something that is not an image or font is UnsupportedMediaTypeError', async () => {
    const err = await adsmith.files.upload(new TextEncoder().encode('just text'), { filename: 'notes.txt' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedMediaTypeError);
    expect((err as Error).message).toMatch(/"notes\.txt" is not a supported image or font/);
  });

  it('422: an unusable image URL is UnprocessableError with the parameter name', async () => {
    const port = await freePort(); // nothing listens there: refused on loopback
    const err = await adsmith.generate({ template_id: '1061', elements: [{ content_type: 'Image #1', content: `http://127.0.0.1:${port}/photo.jpg` }] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnprocessableError);
    expect(err).toMatchObject({ status: 422, code: 'ADS_URL_UNUSABLE', parameter: 'elements[0].content' });
  });

  it('403: a feature outside the plan is ForbiddenError with the feature; the exhausted quota is QuotaExceededError', async () => {
    const free = await s.newOrg('free', 'free-org');
    const client = new Adsmith({ apiKey: free.token, baseUrl: s.url, maxRetries: 0 });
    const denied = await client.templates.create({}).catch((e: unknown) => e);
    expect(denied).toBeInstanceOf(ForbiddenError);
    expect(denied).not.toBeInstanceOf(QuotaExceededError);
    expect(denied).toMatchObject({ status: 403, code: 'ADS_ACCESS_DENIED', feature: 'private_assets' });

    // Use up the plan's 1000 requests in the database, as 1000 generations would.
    const db = new Database(path.join(s.dataDir, 'adsmith.sqlite'));
    db.prepare('UPDATE orgs SET request_count = 1000 WHERE id = ?').run(free.org.id);
    db.close();
    const quota = await client.generate({ template_id: '1061' }).catch((e: unknown) => e);
    expect(quota).toBeInstanceOf(QuotaExceededError);
    expect(quota).toBeInstanceOf(ForbiddenError);
    expect(quota).toMatchObject({ status: 403, code: 'ADS_QUOTA_EXCEEDED' });
    expect((quota as Error).message).toMatch(/^Quota exceeded: Free users can make up to 1000 requests/);
  });

  it('429: over the per-minute rate is RateLimitError with retryAfter (no retry when maxRetries is 0)', async () => {
    const free = await s.newOrg('free', 'busy-org');
    const client = new Adsmith({ apiKey: free.token, baseUrl: s.url, maxRetries: 0 });
    let err: unknown = null;
    for (let i = 0; i < 70 && !err; i++) err = await client.brands.list().then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(RateLimitError);
    expect((err as RateLimitError).retryAfter).toBeGreaterThan(0);
    expect((err as Error).message).toMatch(/your plan allows 60 requests per minute/);
  });

  it('an unreachable server is ConnectionError naming the URL and suggesting npm start', async () => {
    const port = await freePort();
    const client = new Adsmith({ apiKey: s.token, baseUrl: `http://127.0.0.1:${port}`, maxRetries: 0 });
    const err = await client.templates.list().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectionError);
    expect((err as Error).message).toBe(`Could not reach the Adsmith server at http://127.0.0.1:${port} (connection refused). Check the URL, or start a server with \`npm start\`.`);
  });
});

describe('errorFromResponse', () => {
  it('maps each status and body shape', () => {
    expect(errorFromResponse(500, { error: { code: 'ADS_INTERNAL', message: 'boom' } })).toBeInstanceOf(ServerError);
    expect(errorFromResponse(503, 'busy')).toMatchObject({ status: 503, message: 'busy' });
    expect(errorFromResponse(422, "The request could not be completed because the visual in the 'smart_image.input_image_url' parameter did not pass content moderation.")).toMatchObject({
      code: 'ADS_INPUT_MODERATED',
      parameter: 'smart_image.input_image_url',
    });
    expect(errorFromResponse(429, { error: { code: 'ADS_RATE_LIMITED', message: 'slow down' } }, { retryAfter: '7' })).toMatchObject({ retryAfter: 7 });
    expect(errorFromResponse(418, undefined)).toMatchObject({ status: 418, code: 'HTTP_418', message: 'HTTP 418' });
  });
});
