import fs from 'node:fs';
import { Ajv } from 'ajv';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/storage/sqlite.js';
import { uploadSignature } from '../../src/server/tasks/files.js';
import { TaskTracker } from '../../src/server/tasks/tracker.js';
import { startApp, waitFor } from './helpers.js';
import { startReceiver } from './receiver.js';

/**
 * The task protocol over plain HTTP (the embedded server with the stand-in
 * renderer of test/server/fixtures: fixture template 1061 has 2 scenes with
 * slots Heading #1, Body #1, Image #1). Bad input, auth, isolation, the stream,
 * cancel, the upload flow's refusals, webhooks of failed tasks.
 */
let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp({ workers: 2, allowPrivateUrls: true });
});
afterAll(async () => {
  await t.close();
});

const auth = (token = t.token) => ({ authorization: `Bearer ${token}` });
const run = (body: unknown, token = t.token) => t.app.inject({ method: 'POST', url: '/apps/run', headers: { ...auth(token), 'content-type': 'application/json' }, payload: JSON.stringify(body) });
const getTask = async (id: string) => (await t.app.inject({ url: `/tasks/${id}`, headers: auth() })).json().data;
const heading = (content: string) => ({ layer_type: 'text', content_type: 'Heading #1', content });
const validateOutput = new Ajv({ strict: false, allErrors: true, formats: { file: true } }).compile(
  JSON.parse(fs.readFileSync(new URL('../../contract/inference-app/output_schema.json', import.meta.url), 'utf8')) as object,
);
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const countJobs = () => ((t.ctx.store as SqliteStore).db.prepare('SELECT COUNT(*) AS n FROM jobs').get() as { n: number }).n;

describe('POST /apps/run', () => {
  it('answers the task in the envelope; it completes with an output that matches output_schema.json', async () => {
    const res = await run({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [heading('Hello')] } });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ success: true, data: { app: 'bria/ads-generate', function: 'run', input: { template_id: '1061', elements: [heading('Hello')] } } });
    expect([2, 7]).toContain(body.data.status);
    const id = body.data.id as string;
    const done = await waitFor(async () => {
      const task = await getTask(id);
      return task.status === 10 ? task : null;
    });
    expect(done).toMatchObject({ status: 10, status_text: 'completed', progress: 100, scenes_done: 2, scenes_total: 2 });
    expect(done.error).toBeUndefined();
    expect(validateOutput(done.output), JSON.stringify(validateOutput.errors)).toBe(true);
    expect(done.output.scenes).toHaveLength(2);
    expect(done.output.scenes[0]).toMatchObject({ id: `${id}-1`, name: 'Scene 1', width: 100, height: 50, image: expect.stringMatching(/^http:\/\/ads\.test\/v1\/results\/[\w-]+\.png$/) });
    expect(done.output.output_meta.outputs[0]).toEqual({ type: 'image', width: 100, height: 50, resolution_mp: 0.005, count: 1 });
    const status = await t.app.inject({ url: `/tasks/${id}/status`, headers: auth() });
    expect(status.json().data).toMatchObject({ id, status: 10, status_text: 'completed' });
    // the task is an Adsmith job too
    expect((await t.app.inject({ url: `/v1/jobs/${id}`, headers: { api_token: t.token } })).json().status).toBe('COMPLETED');
  });

  it('wait: true answers once the task is final; adsmith/ads-generate and version suffixes name the same app', async () => {
    for (const app of ['adsmith/ads-generate', 'bria/ads-generate@latest', 'bria/ads-generate@0.3.1']) {
      const res = await run({ app, input: { template_id: '1061' }, wait: true });
      expect(res.statusCode, app).toBe(200);
      expect(res.json().data).toMatchObject({ status: 10, app: app.split('@')[0] });
    }
  });

  it('bad input: a 4xx problem+json whose detail names the field; nothing is written', async () => {
    const before = countJobs();
    const cases: Array<[unknown, number, RegExp]> = [
      [{ input: { template_id: '1061' } }, 400, /^app is required\.$/],
      [{ app: 'bria/ads-generate' }, 400, /^input is required\.$/],
      [{ app: 'bria/ads-generate', input: 'template 1061' }, 400, /^input must be a JSON object/],
      [{ app: 'bria/ads-generate', input: {} }, 400, /^input\.template_id is required\.$/],
      [{ app: 'bria/ads-generate', input: { template_id: 1061 } }, 400, /^input\.template_id must be string\.$/],
      [{ app: 'bria/ads-generate', input: { template_id: '1061', elements: [{ content_type: 'Heading #1', content: 'x' }] } }, 400, /^input\.elements\[0\]\.layer_type is required\.$/],
      [{ app: 'bria/ads-generate', input: { template_id: '1061', colour: 'red' } }, 400, /^input\.colour is not an input of the app/],
      [{ app: 'bria/ads-generate', input: { template_id: '1061', elements: [{ layer_type: 'text', content_type: 'Footer #2', content: 'x' }] } }, 400, /^input\.elements\[0\]\.content_type "Footer #2" is not a slot of template 1061/],
      [{ app: 'bria/ads-generate', input: { template_id: '1061', elements: [{ layer_type: 'image', content_type: 'Image #1', content: 'data:text/plain,hi' }] } }, 422, /\(input\.elements\[0\]\.content: the URL does not hold an image\)$/],
      [{ app: 'bria/ads-generate', input: { template_id: '1062' } }, 400, /^Template 1062 takes its colours/],
      [{ app: 'bria/ads-generate', input: { template_id: '1061' }, webhook: 'ftp://example.invalid/x' }, 400, /^webhook .*give a public http\(s\) URL\.$/],
      [{ app: 'bria/ads-generate', input: { template_id: '1061' }, wait: 'yes' }, 400, /^wait must be boolean\.$/],
      [{ app: 'someone/else', input: { template_id: '1061' } }, 404, /^App "someone\/else" is not served here\. This server runs: bria\/ads-generate, adsmith\/ads-generate/],
    ];
    for (const [body, status, detail] of cases) {
      const res = await run(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
      expect(res.json(), JSON.stringify(body)).toMatchObject({ status, detail: expect.stringMatching(detail), code: expect.stringMatching(/^ADS_/), title: expect.any(String) });
    }
    const notJson = await t.app.inject({ method: 'POST', url: '/apps/run', headers: { ...auth(), 'content-type': 'application/json' }, payload: '{"app":' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().code).toBe('ADS_BODY_NOT_JSON');
    expect(countJobs()).toBe(before);
  });

  it('a wrong or missing token is a 401 problem on every protocol route', async () => {
    for (const [method, url] of [
      ['POST', '/apps/run'],
      ['GET', '/tasks/task_x'],
      ['GET', '/tasks/task_x/status'],
      ['GET', '/tasks/task_x/stream'],
      ['POST', '/tasks/task_x/cancel'],
      ['POST', '/files'],
      ['GET', '/files/abcdefghijklmnopqrstuvwx'],
    ] as const) {
      for (const headers of [auth('wrong-token'), {}]) {
        const res = await t.app.inject({ method, url, headers, ...(method === 'POST' ? { payload: {} } : {}) });
        expect(res.statusCode, `${method} ${url}`).toBe(401);
        expect(res.json()).toMatchObject({ status: 401, code: 'ADS_UNAUTHORIZED', detail: expect.stringMatching(/^Unauthorized/) });
      }
    }
  });

  it('quota: a free organisation at its total gets the contract 403 text as detail', async () => {
    const other = await t.newOrg('free', 'quota-tasks');
    (t.ctx.store as SqliteStore).db.prepare('UPDATE orgs SET request_count = 1000 WHERE id = ?').run(other.org.id);
    const res = await run({ app: 'bria/ads-generate', input: { template_id: '1061' } }, other.token);
    expect(res.statusCode).toBe(403);
    expect(res.json().detail).toMatch(/^Quota exceeded: Free users can make up to 1000 requests in total/);
  });
});

describe('tasks', () => {
  it("another organisation's task, an unknown id and a job that is not a task all answer 404", async () => {
    const id = (await run({ app: 'bria/ads-generate', input: { template_id: '1061' } })).json().data.id as string;
    const job = (await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token }, payload: { template_id: '1061' } })).json().request_id as string;
    const other = await t.newOrg('pro', 'tasks-isolated');
    for (const [token, taskId] of [
      [other.token, id],
      [t.token, 'task_unknown'],
      [t.token, job],
    ] as const) {
      for (const [method, url] of [
        ['GET', `/tasks/${taskId}`],
        ['GET', `/tasks/${taskId}/status`],
        ['GET', `/tasks/${taskId}/stream`],
        ['POST', `/tasks/${taskId}/cancel`],
      ] as const) {
        const res = await t.app.inject({ method, url, headers: auth(token) });
        expect(res.statusCode, `${method} ${url}`).toBe(404);
        expect(res.json().detail).toBe(`Task "${taskId}" was not found.`);
      }
    }
  });

  it('stream: NDJSON lines, each the task, from queued to completed; SSE with Accept: text/event-stream', async () => {
    const id = (await run({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [heading('__sleep:200')] } })).json().data.id as string;
    const res = await t.app.inject({ url: `/tasks/${id}/stream`, headers: auth() });
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.body.trim().split('\n').map((l) => JSON.parse(l) as { status: number; scenes_done: number; output: unknown });
    expect(lines.length).toBeGreaterThanOrEqual(2);
    const statuses = lines.map((l) => l.status);
    expect(statuses[statuses.length - 1]).toBe(10);
    expect(statuses.slice(0, -1).every((s) => s === 2 || s === 7)).toBe(true);
    expect(validateOutput(lines[lines.length - 1]?.output)).toBe(true);
    const sse = await t.app.inject({ url: `/tasks/${id}/stream`, headers: { ...auth(), accept: 'text/event-stream' } });
    expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
    expect(sse.body).toMatch(/^data: \{"id":"task_/);
    expect(JSON.parse(sse.body.trim().slice('data: '.length)).status).toBe(10);
  });

  it('cancel: the task becomes 12 (cancelled); a second cancel is a 409 problem', async () => {
    const id = (await run({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [heading('__sleep:800')] } })).json().data.id as string;
    const res = await t.app.inject({ method: 'POST', url: `/tasks/${id}/cancel`, headers: { ...auth(), 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().data).toMatchObject({ id, status: 12, status_text: 'cancelled', error: 'Cancelled by request.' });
    const again = await t.app.inject({ method: 'POST', url: `/tasks/${id}/cancel`, headers: auth() });
    expect(again.statusCode).toBe(409);
    expect(again.json().detail).toBe(`Task ${id} is already cancelled and cannot be cancelled.`);
  });
});

describe('the upload flow', () => {
  const create = async (files: unknown[], token = t.token) => t.app.inject({ method: 'POST', url: '/files', headers: auth(token), payload: { files } });
  const put = (url: string, body: Buffer, type = 'image/png') => t.app.inject({ method: 'PUT', url: new URL(url).pathname + new URL(url).search, headers: { 'content-type': type }, payload: body });

  it('POST /files answers uri + upload_url; PUT stores the bytes once; the uri serves them and works as input', async () => {
    const res = await create([{ uri: '', filename: 'pixel.png', content_type: 'image/png', size: PNG.byteLength }]);
    expect(res.statusCode).toBe(200);
    const file = res.json().data[0];
    expect(file).toMatchObject({ filename: 'pixel.png', uri: `http://ads.test/v1/files/${file.id}`, upload_url: expect.stringMatching(/^http:\/\/ads\.test\/files\/[\w-]+\/upload\?/) });
    expect((await t.app.inject(`/v1/files/${file.id}`)).statusCode).toBe(404); // nothing until the PUT
    const up = await put(file.upload_url, PNG, 'application/octet-stream');
    expect(up.statusCode).toBe(200);
    expect(up.json().data).toMatchObject({ id: file.id, content_type: 'image/png', size: PNG.byteLength });
    expect((await t.app.inject(`/v1/files/${file.id}`)).rawPayload.equals(PNG)).toBe(true);
    expect((await t.app.inject({ url: `/files/${file.id}`, headers: auth() })).json().data).toMatchObject({ id: file.id, uri: file.uri });
    const twice = await put(file.upload_url, PNG);
    expect(twice.statusCode).toBe(409);
    expect(twice.json().code).toBe('ADS_UPLOAD_DONE');
    const task = await run({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [{ layer_type: 'image', content_type: 'Image #1', content: file.uri }] }, wait: true });
    expect(task.json().data.status).toBe(10);
    const other = await t.newOrg('pro', 'files-isolated');
    expect((await t.app.inject({ url: `/files/${file.id}`, headers: auth(other.token) })).statusCode).toBe(404);
  });

  it('refuses forged, expired, empty and non-image uploads, and sizes over the limit, each with its reason', async () => {
    const file = (await create([{ filename: 'a.png', content_type: 'image/png' }])).json().data[0];
    const forged = file.upload_url.replace(/sig=([0-9a-f])/, (_m: string, c: string) => `sig=${c === '0' ? '1' : '0'}`);
    expect((await put(forged, PNG)).json()).toMatchObject({ status: 403, code: 'ADS_UPLOAD_LINK_INVALID' });
    const u = new URL(file.upload_url);
    const orgId = u.searchParams.get('org') as string;
    const exp = Math.floor(Date.now() / 1000) - 10;
    u.searchParams.set('exp', String(exp));
    u.searchParams.set('sig', uploadSignature(t.ctx.editorKey, file.id, orgId, exp, 'a.png'));
    expect((await put(u.toString(), PNG)).json()).toMatchObject({ status: 410, code: 'ADS_UPLOAD_LINK_EXPIRED' });
    expect((await put(file.upload_url, Buffer.alloc(0))).json()).toMatchObject({ status: 400, detail: 'body is empty: PUT the file bytes to the upload URL.' });
    const text = await put(file.upload_url, Buffer.from('just some text, not an image'), 'text/plain');
    expect(text.json()).toMatchObject({ status: 415, code: 'ADS_UPLOAD_TYPE' });
    const big = await create([{ filename: 'huge.png', size: t.ctx.config.uploadLimit + 1 }]);
    expect(big.json()).toMatchObject({ status: 400, detail: expect.stringMatching(/^files\[0\]\.size is \d+ bytes; uploads are limited to/) });
    expect((await create([])).json()).toMatchObject({ status: 400, detail: expect.stringMatching(/^files /) });
  });
});

describe('task webhooks', () => {
  it('a failed task POSTs status 11 with its error and the scenes that did render', async () => {
    const receiver = await startReceiver();
    try {
      const hook = receiver.url();
      const res = await run({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [heading('__fail__')] }, webhook: hook });
      const id = res.json().data.id as string;
      const payload = JSON.parse((await waitFor(async () => receiver.received[0] ?? null)).body);
      expect(payload).toMatchObject({ id, status: 11, session_id: null, error: expect.stringMatching(/^1 of 2 scenes failed.*scene_1: The image of element "photo" could not be loaded/) });
      expect(payload.output.scenes).toHaveLength(1);
      expect(validateOutput(payload.output)).toBe(true);
      expect((await getTask(id)).status).toBe(11);
    } finally {
      receiver.close();
    }
  });
});

describe('task webhook recovery', () => {
  it('a task that became final without its delivery being recorded (a crash between the two) gets it at the next start', async () => {
    const receiver = await startReceiver();
    try {
      const res = await run({ app: 'bria/ads-generate', input: { template_id: '1061', elements: [heading('__sleep:2000')] }, webhook: receiver.url() });
      const id = res.json().data.id as string;
      // Cancelled behind the server's back: no tracker saw it, so no delivery was recorded.
      expect(await t.ctx.store.cancelJob(id)).toBe(true);
      expect((await t.ctx.store.tasksMissingDelivery(10)).map((x) => x.job.id)).toEqual([id]);
      await new TaskTracker(t.ctx).recover(); // what onReady runs
      const payload = JSON.parse((await waitFor(async () => receiver.received[0] ?? null)).body);
      expect(payload).toMatchObject({ id, status: 12, error: 'Cancelled by request.' });
      expect(await t.ctx.store.tasksMissingDelivery(10)).toEqual([]);
    } finally {
      receiver.close();
    }
  });
});

describe('documentation', () => {
  it('/openapi.json documents the task protocol at the root; /docs renders the same document', async () => {
    const doc = (await t.app.inject('/openapi.json')).json();
    for (const p of ['/apps/run', '/tasks/{id}', '/tasks/{id}/status', '/tasks/{id}/stream', '/tasks/{id}/cancel', '/files/{id}/upload']) {
      expect(doc.paths[p]?.servers?.[0]?.url, p).toBe('http://ads.test');
    }
    expect(doc.paths['/apps/run'].post.requestBody.content['application/json'].schema.properties.input.title).toBe('AppInput');
    expect((await t.app.inject('/docs')).body).toContain('<div id="swagger-ui"></div>');
    expect((await t.app.inject('/docs/json')).json()).toEqual(doc);
  });
});
