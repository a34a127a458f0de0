import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp, waitFor } from '../server/helpers.js';

let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp({ workers: 2 });
});
afterAll(async () => {
  await t.close();
});

const gen = (body: object, headers: Record<string, string> = {}) =>
  t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token, ...headers }, payload: body });
const path = (url: string) => new URL(url).pathname + new URL(url).search;
const status = async (id: string) => (await t.app.inject({ url: `/v1/jobs/${id}`, headers: { api_token: t.token } })).json();
const final = (id: string) => waitFor(async () => ((await status(id)).status !== 'IN_PROGRESS' ? status(id) : null));

describe('jobs and result URLs', () => {
  it('a result URL answers 202 + Retry-After while rendering, then 200 with ETag and long cache', async () => {
    const res = await gen({ template_id: '1061', elements: [{ content_type: 'Heading #1', content: '__sleep:400' }] });
    const url = path(res.json().result[0].url);
    const early = await t.app.inject(url);
    expect(early.statusCode).toBe(202);
    expect(early.headers['retry-after']).toBe('1');
    expect(early.headers['cache-control']).toBe('no-store');
    const done = await waitFor(async () => {
      const r = await t.app.inject(url);
      return r.statusCode === 200 ? r : null;
    });
    expect(done.headers['content-type']).toBe('image/png');
    expect(done.headers['etag']).toMatch(/^"[0-9a-f]{32}"$/);
    // The ETag is the hash of exactly what is served (stored by the queue here: the stand-in worker answers bytes).
    expect(done.headers['etag']).toBe(`"${createHash('sha256').update(done.rawPayload).digest('hex').slice(0, 32)}"`);
    expect(done.headers['cache-control']).toMatch(/max-age=31536000/);
    expect(done.rawPayload.length).toBeGreaterThan(0);
    const again = await t.app.inject({ url, headers: { 'if-none-match': String(done.headers['etag']) } });
    expect(again.statusCode).toBe(304);
    // stable: the same URL keeps answering the same bytes
    expect((await t.app.inject(url)).rawPayload.equals(done.rawPayload)).toBe(true);
  });

  it('status_url: IN_PROGRESS with progress, then COMPLETED with the contract fields per scene', async () => {
    const res = await gen({ template_id: '1062', brand_id: '167', elements: [{ content_type: 'Body #1', content: '__sleep:300' }] });
    const id = res.json().request_id;
    const early = await status(id);
    expect(early.status).toBe('IN_PROGRESS');
    expect(early.progress).toBeGreaterThanOrEqual(0);
    const done = await final(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.progress).toBe(100);
    expect(done.error).toBeNull();
    expect(done.result).toHaveLength(3);
    for (const r of done.result) expect(Object.keys(r)).toEqual(expect.arrayContaining(['id', 'name', 'url', 'resolution', 'editor_iframe', 'status']));
  });

  it('a failed scene answers an error status with a JSON cause, never 200; the job is ERROR', async () => {
    const res = await gen({ template_id: '1061', elements: [{ content_type: 'Body #1', content: '__fail__' }] });
    const id = res.json().request_id;
    const done = await final(id);
    expect(done.status).toBe('ERROR');
    expect(done.error).toMatch(/1 of 2 scenes failed/);
    expect(done.result[0].status).toBe('failed');
    expect(done.result[1].status).toBe('done');
    const r = await t.app.inject(path(res.json().result[0].url));
    expect(r.statusCode).toBe(422);
    expect(r.json().error).toMatchObject({ code: 'ADS_IMAGE_UNAVAILABLE' });
    expect(r.json().error.message).toMatch(/could not be loaded/);
  });

  it('a moderated-out scene is a zero-byte 200', async () => {
    const res = await gen({ template_id: '1061', content_moderation: true, elements: [{ content_type: 'Body #1', content: '__moderate__' }] });
    await final(res.json().request_id);
    const r = await t.app.inject(path(res.json().result[0].url));
    expect(r.statusCode).toBe(200);
    expect(r.rawPayload.length).toBe(0);
  });

  it('sync: true answers only when every scene is final', async () => {
    const res = await gen({ template_id: '1061', sync: true, elements: [{ content_type: 'Body #1', content: '__sleep:200' }] });
    expect(res.statusCode).toBe(200);
    expect(res.json().status).toBe('COMPLETED');
    for (const r of res.json().result) expect((await t.app.inject(path(r.url))).statusCode).toBe(200);
  });

  it('Idempotency-Key returns the same job on retry, and refuses a different body', async () => {
    const a = await gen({ template_id: '1061' }, { 'idempotency-key': 'k-1' });
    const b = await gen({ template_id: '1061' }, { 'idempotency-key': 'k-1' });
    expect(b.statusCode).toBe(200);
    expect(b.json().request_id).toBe(a.json().request_id);
    expect(b.json().result.map((r: { url: string }) => r.url)).toEqual(a.json().result.map((r: { url: string }) => r.url));
    const c = await gen({ template_id: '1062', brand_id: '167' }, { 'idempotency-key': 'k-1' });
    expect(c.statusCode).toBe(422);
    expect(c.json()).toMatch(/Idempotency-Key "k-1"/);
    const other = await t.newOrg('pro');
    const d = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: other.token, 'idempotency-key': 'k-1' }, payload: { template_id: '1061' } });
    expect(d.json().request_id).not.toBe(a.json().request_id);
  });

  it('cancel: pending scenes become cancelled (410 at their URL), the job CANCELLED; cancelling again is 409', async () => {
    const res = await gen({ template_id: '1062', brand_id: '166', elements: [{ content_type: 'Body #1', content: '__sleep:600' }] });
    const id = res.json().request_id;
    const c = await t.app.inject({ method: 'POST', url: `/v1/jobs/${id}/cancel`, headers: { api_token: t.token } });
    expect(c.statusCode).toBe(200);
    expect(c.json().status).toBe('CANCELLED');
    const r = await t.app.inject(path(res.json().result[2].url));
    expect(r.statusCode).toBe(410);
    expect(r.json().error.message).toMatch(/cancelled/);
    const again = await t.app.inject({ method: 'DELETE', url: `/v1/jobs/${id}`, headers: { api_token: t.token } });
    expect(again.statusCode).toBe(409);
  });

  it('progress as Server-Sent Events, ending with done', async () => {
    const res = await gen({ template_id: '1062', brand_id: '167', elements: [{ content_type: 'Body #1', content: '__sleep:100' }] });
    const sse = await t.app.inject({ url: `/v1/jobs/${res.json().request_id}/events`, headers: { api_token: t.token } });
    expect(sse.statusCode).toBe(200);
    expect(sse.headers['content-type']).toMatch(/text\/event-stream/);
    const events = sse.body.split('\n\n').filter((e) => e.startsWith('event:'));
    expect(events.length).toBeGreaterThanOrEqual(2);
    const last = events[events.length - 1] as string;
    expect(last).toMatch(/^event: done/);
    expect(JSON.parse(last.split('data: ')[1] as string).status).toBe('COMPLETED');
  });

  it('a crashed worker thread is replaced and the scene retried, then given up after 3 attempts', async () => {
    const res = await gen({ template_id: '1061', elements: [{ content_type: 'Body #1', content: '__crash__' }] });
    const done = await final(res.json().request_id);
    expect(done.status).toBe('ERROR');
    expect(done.result[0].error.code).toBe('ADS_RENDER_INTERRUPTED');
    // the pool still renders afterwards
    const ok = await gen({ template_id: '1061', sync: true });
    expect(ok.json().status).toBe('COMPLETED');
  });

  it('jobs of another organisation are invisible', async () => {
    const res = await gen({ template_id: '1061' });
    const other = await t.newOrg('pro');
    const id = res.json().request_id;
    for (const [method, url] of [
      ['GET', `/v1/jobs/${id}`],
      ['GET', `/v1/jobs/${id}/events`],
      ['POST', `/v1/jobs/${id}/cancel`],
    ] as const) {
      const r = await t.app.inject({ method, url, headers: { api_token: other.token } });
      expect(r.statusCode).toBe(404);
    }
    const list = await t.app.inject({ url: '/v1/jobs', headers: { api_token: other.token } });
    expect(list.json().map((j: { request_id: string }) => j.request_id)).not.toContain(id);
  });

  it('unknown result tokens are 404', async () => {
    expect((await t.app.inject('/v1/results/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.png')).statusCode).toBe(404);
    expect((await t.app.inject('/v1/results/..%2f..%2fetc.png')).statusCode).toBe(404);
  });

  it('editor_iframe: a signed link opens the editor page (test/server/editor.test.ts covers it in full); forged or expired links are refused', async () => {
    const res = await gen({ template_id: '1062', brand_id: '167', sync: true, elements: [{ content_type: 'Heading #1', content: 'Hello <b>editor</b>' }] });
    const link = res.json().result[1].editor_iframe as string;
    const page = await t.app.inject(path(link));
    expect(page.statusCode).toBe(200);
    expect(page.headers['content-type']).toMatch(/text\/html/);
    const { webPage } = await import('../../src/server/pages/web.js');
    expect(page.body).toBe(webPage('editor'));
    expect(page.headers['content-security-policy']).toContain('frame-ancestors *');
    const forged = await t.app.inject(path(link).replace(/sig=[0-9a-f]/, (m) => (m.endsWith('0') ? 'sig=1' : 'sig=0')));
    expect(forged.statusCode).toBe(403);
    expect(forged.body).toMatch(/not valid/);
    const otherScene = await t.app.inject(path(link).replace('/2?', '/1?'));
    expect(otherScene.statusCode).toBe(403);
    const { editorSignature } = await import('../../src/server/contract/views.js');
    const jobId = res.json().request_id;
    const exp = Math.floor(Date.now() / 1000) - 10;
    const expired = await t.app.inject(`/editor/${jobId}/2?exp=${exp}&sig=${editorSignature(t.ctx.editorKey, jobId, 1, exp)}`);
    expect(expired.statusCode).toBe(410);
    expect(expired.body).toMatch(/expired/);
  });
});
