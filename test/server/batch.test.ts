import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SqliteStore } from '../../src/storage/sqlite.js';
import { BatchTracker } from '../../src/server/batch/tracker.js';
import { signWebhook } from '../../src/server/jobs/webhooks.js';
import { startApp, waitFor } from './helpers.js';
import { startReceiver } from './receiver.js';

/**
 * The batch endpoint on the embedded server (SQLite, worker threads running the
 * stand-in renderer of test/server/fixtures). Fixture template 1061 has 2
 * scenes with slots Heading #1, Body #1, Image #1; 1062 needs a brand.
 */
let t: Awaited<ReturnType<typeof startApp>>;
beforeAll(async () => {
  t = await startApp({ workers: 2 }, { batch: { maxRows: 5 } });
});
afterAll(async () => {
  await t.close();
});

const post = (body: object, headers: Record<string, string> = {}, token = t.token) =>
  t.app.inject({ method: 'POST', url: '/v1/ads/batch', headers: { api_token: token, ...headers }, payload: body });
const get = (url: string, token = t.token) => t.app.inject({ url, headers: { api_token: token } });
const status = async (id: string) => (await get(`/v1/ads/batch/${id}`)).json();
const final = (id: string) => waitFor(async () => ((await status(id)).status !== 'IN_PROGRESS' ? status(id) : null));
const heading = (content: string) => ({ content_type: 'Heading #1', content });
const path = (url: string) => new URL(url).pathname;
const orgOf = async (app: typeof t.app, token: string): Promise<string> => (await app.inject({ url: '/v1/org', headers: { api_token: token } })).json().id;

interface Row {
  index: number;
  key?: string;
  status: string;
  request_id?: string;
  result?: Array<Record<string, unknown> & { url: string; key: string; status: string }>;
  error?: { code: string; message: string };
}

describe('POST /v1/ads/batch', () => {
  it('accepts the valid rows, refuses each invalid one with an error naming rows[i]…, and completes', async () => {
    const res = await post({
      template_id: '1061',
      defaults: { elements: [{ content_type: 'Body #1', content: 'Shared body' }] },
      rows: [
        { key: 'sku-1', elements: [heading('First')] },
        { key: 'sku-2', elements: [heading('Second'), { content_type: 'Footer #9', content: 'x' }] },
        { key: 'sku-3', elements: [{ content_type: 'Image #1', content: 'data:text/plain,hello' }] },
        { key: 'sku-4', elemnts: [] },
        { elements: [heading('Fifth'), { content_type: 'Body #1', content: 'Own body' }] },
      ],
    });
    expect(res.statusCode).toBe(202);
    const accepted = res.json();
    expect(accepted).toMatchObject({ rows_total: 5, rows_accepted: 2, rows_failed: 3, status: 'IN_PROGRESS' });
    expect(accepted.status_url).toBe(`http://ads.test/v1/ads/batch/${accepted.batch_id}`);
    expect(res.headers['location']).toBe(accepted.status_url);
    const refused = accepted.failed_rows as Row[];
    expect(refused.map((r) => [r.index, r.key, r.status, r.error?.code])).toEqual([
      [1, 'sku-2', 'failed', 'ADS_UNKNOWN_CONTENT_TYPE'],
      [2, 'sku-3', 'failed', 'ADS_URL_UNUSABLE'],
      [3, 'sku-4', 'failed', 'ADS_BAD_REQUEST'],
    ]);
    expect(refused[0]?.error?.message).toMatch(/^rows\[1\]\.elements\[1\]\.content_type "Footer #9" is not a slot of template 1061/);
    expect(refused[1]?.error?.message).toContain('(rows[2].elements[0].content: the URL does not hold an image)');
    expect(refused[2]?.error?.message).toBe('rows[3].elemnts is not a known field: check its spelling, or remove it.');

    const done = await final(accepted.batch_id);
    expect(done.status).toBe('COMPLETED');
    expect(done.progress).toMatchObject({ rows_total: 5, rows_done: 5, rows_failed: 3, rows_completed: 2, scenes_total: 4, scenes_done: 4, percent: 100 });
    const rows = done.rows as Row[];
    expect(rows.map((r) => [r.index, r.status])).toEqual([
      [0, 'completed'],
      [1, 'failed'],
      [2, 'failed'],
      [3, 'failed'],
      [4, 'completed'],
    ]);
    const first = rows[0] as Row;
    expect(first.key).toBe('sku-1');
    expect(first.result?.length).toBe(2);
    for (const item of first.result ?? []) {
      expect(item).toMatchObject({ status: 'done', key: expect.stringMatching(/^scene_\d$/), resolution: expect.any(Object), editor_iframe: expect.any(String) });
      expect(item[item.key]).toBe(item.url);
      const img = await t.app.inject(path(item.url));
      expect(img.statusCode).toBe(200);
      expect(img.headers['content-type']).toBe('image/png');
    }
    expect(rows[1]?.result).toBeUndefined();
    expect(rows[4]?.key).toBeUndefined();
    // the row's own element wins over the default with the same content_type; other defaults stay
    const job0 = await t.ctx.store.getJob(first.request_id as string);
    const job4 = await t.ctx.store.getJob(rows[4]?.request_id as string);
    expect((job0?.request as { elements: unknown[] }).elements).toEqual([{ content_type: 'Body #1', content: 'Shared body' }, heading('First')]);
    expect((job4?.request as { elements: unknown[] }).elements).toEqual([heading('Fifth'), { content_type: 'Body #1', content: 'Own body' }]);
    // each row job is an ordinary job: its status_url works
    expect((await get(`/v1/jobs/${first.request_id}`)).json().status).toBe('COMPLETED');
  });

  it('invalid shared fields fail the whole request, naming the field; nothing is written', async () => {
    const before = (await t.ctx.store.listBatches(await orgOf(t.app, t.token), 100)).length;
    const cases: Array<[object, number, RegExp]> = [
      [{ template_id: '999', rows: [{}] }, 400, /template_id "999" is not a public template/],
      [{ template_id: '1062', rows: [{}] }, 400, /Template 1062 takes its colours.*send brand_id/],
      [{ template_id: '1061', defaults: { elements: [{ content_type: 'Nope #1', content: 'x' }] }, rows: [{}] }, 400, /^defaults\.elements\[0\]\.content_type "Nope #1" is not a slot/],
      [{ template_id: '1061', defaults: { elements: [{ content: 1 }] }, rows: [{}] }, 400, /^defaults\.elements\[0\]\.content must be string/],
      [{ template_id: '1061', rows: [] }, 400, /^rows must hold at least one row/],
      [{ template_id: '1061', rows: Array.from({ length: 6 }, () => ({})) }, 400, /^rows holds 6 rows; a batch takes at most 5 \(ADSMITH_BATCH_MAX_ROWS\)/],
      [{ template_id: '1061' }, 400, /^rows is required/],
      [{ template_id: '1061', rows: [{}], sync: true }, 400, /^sync is not a known field/],
      [{ template_id: '1061', rows: [{}], output_format: 'gif' }, 400, /^output_format must be one of/],
      [{ template_id: '1061', rows: [{}], webhook_url: 'ftp://x' }, 400, /^webhook_url .*give a public http\(s\) URL/],
    ];
    for (const [body, code, message] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(code);
      expect(res.json().error.message, JSON.stringify(body)).toMatch(message);
    }
    const notJson = await t.app.inject({ method: 'POST', url: '/v1/ads/batch', headers: { api_token: t.token, 'content-type': 'application/json' }, payload: '{"rows": [' });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('ADS_BODY_NOT_JSON');
    expect((await post({ template_id: '1061', rows: [{}] }, {}, 'wrong-token')).statusCode).toBe(401);
    expect((await t.ctx.store.listBatches(await orgOf(t.app, t.token), 100)).length).toBe(before);
  });

  it('a batch body may exceed the generate body limit (up to ADSMITH_BATCH_BODY_LIMIT)', async () => {
    // Many texts under the 5,000-character limit per text element (ADSMITH_MAX_TEXT_CHARS) make the body large.
    const long = 'x'.repeat(4_500);
    const rows = Array.from({ length: 5 }, (_, i) => ({ key: `big-${i}`, elements: [heading(`${i}${long}`), ...Array.from({ length: 50 }, () => ({ content_type: 'Body #1', content: long }))] }));
    const res = await post({ template_id: '1061', rows });
    expect(JSON.stringify({ rows }).length).toBeGreaterThan(t.ctx.config.bodyLimit);
    expect(res.statusCode).toBe(202);
    expect(res.json().rows_accepted).toBe(5);
    const generate = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token }, payload: { template_id: '1061', elements: rows.flatMap((r) => r.elements) } });
    expect(generate.statusCode).toBe(413);
  });

  it('a batch whose every row is refused is ERROR at once', async () => {
    const res = await post({ template_id: '1061', rows: [{ elements: [{ id: 'nope', content: 'x' }] }] });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: 'ERROR', rows_accepted: 0, rows_failed: 1 });
    expect(res.json().failed_rows[0].error.message).toMatch(/^rows\[0\]\.elements\[0\]\.id "nope" is not an element of template 1061/);
    expect((await status(res.json().batch_id)).status).toBe('ERROR');
  });

  it('Idempotency-Key: the same body returns the same batch; another body is a 422', async () => {
    const body = { template_id: '1061', rows: [{ elements: [heading('Once')] }] };
    const a = await post(body, { 'idempotency-key': 'batch-key-1' });
    const b = await post(body, { 'idempotency-key': 'batch-key-1' });
    expect(b.statusCode).toBe(202);
    expect(b.json().batch_id).toBe(a.json().batch_id);
    expect(b.headers['idempotent-replayed']).toBe('true');
    const c = await post({ ...body, rows: [{ elements: [heading('Twice')] }] }, { 'idempotency-key': 'batch-key-1' });
    expect(c.statusCode).toBe(422);
    expect(c.json()).toMatch(/Idempotency-Key "batch-key-1" was already used with a different request body/);
  });

  it('quota: every accepted row counts one request; rows past the plan total are refused, then the request is a 403', async () => {
    const other = await t.newOrg('free', 'quota-org');
    const store = t.ctx.store as SqliteStore;
    store.db.prepare('UPDATE orgs SET request_count = 998 WHERE id = ?').run(other.org.id);
    const res = await post({ template_id: '1061', rows: [{ key: 'a' }, { key: 'b' }, { key: 'c' }] }, {}, other.token);
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ rows_accepted: 2, rows_failed: 1 });
    expect(res.json().failed_rows[0]).toMatchObject({ index: 2, key: 'c', error: { code: 'ADS_QUOTA_EXCEEDED', message: expect.stringMatching(/^Quota exceeded: Free users can make up to 1000 requests/) } });
    expect((await t.ctx.store.getOrg(other.org.id))?.requestCount).toBe(1000);
    const over = await post({ template_id: '1061', rows: [{}] }, {}, other.token);
    expect(over.statusCode).toBe(403);
    expect(over.json()).toMatch(/^Quota exceeded/);
  });
});

describe('batch status, events, cancel, isolation', () => {
  it('SSE: progress messages with the rows that changed, then done; rows go pending → in_progress → completed', async () => {
    const res = await post({ template_id: '1061', rows: [0, 1, 2].map((i) => ({ key: `r${i}`, elements: [heading(`__sleep:${150 + i * 50}`)] })) });
    const id = res.json().batch_id;
    const early = await status(id);
    expect(early.status).toBe('IN_PROGRESS');
    expect(early.rows.every((r: Row) => ['pending', 'in_progress'].includes(r.status))).toBe(true);
    expect(early.rows.every((r: Row) => r.result === undefined)).toBe(true);
    const sse = await get(`/v1/ads/batch/${id}/events`);
    expect(sse.headers['content-type']).toMatch(/^text\/event-stream/);
    const events = sse.body
      .split('\n\n')
      .filter((e) => e.startsWith('event:'))
      .map((e) => ({ type: /^event: (\w+)/.exec(e)?.[1], data: JSON.parse(e.slice(e.indexOf('data: ') + 6)) }));
    expect(events.length).toBeGreaterThanOrEqual(3);
    expect(events.slice(0, -1).every((e) => e.type === 'progress')).toBe(true);
    const last = events[events.length - 1];
    expect(last?.type).toBe('done');
    expect(last?.data).toMatchObject({ batch_id: id, status: 'COMPLETED', rows_total: 3, rows_done: 3, scenes_total: 6, scenes_done: 6, progress: { rows_done: 3 } });
    // the first message lists every row; later ones only the rows that changed
    expect(events[0]?.data.rows.length).toBe(3);
    const mentioned = events.slice(1).flatMap((e) => e.data.rows as Array<Row & { scenes_done: number }>);
    const lastSeen = new Map((events[0]?.data.rows as Array<Row & { scenes_done: number }>).map((r) => [r.index, `${r.status}:${r.scenes_done}`]));
    for (const r of mentioned) {
      // a row is sent again only when it changed
      expect(`${r.status}:${r.scenes_done}`).not.toBe(lastSeen.get(r.index));
      lastSeen.set(r.index, `${r.status}:${r.scenes_done}`);
    }
    const completedMentions = mentioned.filter((r) => r.status === 'completed');
    expect(new Set(completedMentions.map((r) => r.index))).toEqual(new Set([0, 1, 2]));
    expect(completedMentions.every((r) => r.result?.length === 2)).toBe(true);
    const counts = events.map((e) => e.data.scenes_done as number);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  });

  it('cancel: rows not yet final become cancelled, finished ones stay; the batch is CANCELLED; a second cancel is a 409', async () => {
    const res = await post({ template_id: '1061', rows: [{ elements: [heading('quick')] }, ...[1, 2, 3].map(() => ({ elements: [heading('__sleep:800')] }))] });
    const id = res.json().batch_id;
    await waitFor(async () => ((await status(id)).rows[0].status === 'completed' ? true : null));
    const c = await t.app.inject({ method: 'POST', url: `/v1/ads/batch/${id}/cancel`, headers: { api_token: t.token } });
    expect(c.statusCode).toBe(200);
    expect(c.json().status).toBe('CANCELLED');
    const rows = c.json().rows as Row[];
    expect(rows[0]?.status).toBe('completed');
    expect(rows.slice(1).every((r) => r.status === 'cancelled')).toBe(true);
    const scene = rows[3]?.result?.[1];
    expect(scene?.status).toBe('cancelled');
    expect((await t.app.inject(path(scene?.url as string))).statusCode).toBe(410);
    const again = await t.app.inject({ method: 'DELETE', url: `/v1/ads/batch/${id}`, headers: { api_token: t.token } });
    expect(again.statusCode).toBe(409);
    expect(again.json().error.message).toBe(`Batch ${id} is already CANCELLED; there is nothing left to cancel.`);
    // its SSE stream ends at once with done
    const sse = await get(`/v1/ads/batch/${id}/events`);
    expect(sse.body).toMatch(/^event: done\n/);
  });

  it("another organisation's batch answers 404 everywhere, and is not listed", async () => {
    const res = await post({ template_id: '1061', rows: [{}] });
    const id = res.json().batch_id;
    const other = await t.newOrg('pro', 'isolated');
    for (const [method, url] of [
      ['GET', `/v1/ads/batch/${id}`],
      ['GET', `/v1/ads/batch/${id}/events`],
      ['POST', `/v1/ads/batch/${id}/cancel`],
      ['DELETE', `/v1/ads/batch/${id}`],
    ] as const) {
      const r = await t.app.inject({ method, url, headers: { api_token: other.token } });
      expect(r.statusCode, `${method} ${url}`).toBe(404);
      expect(r.json().error.message).toBe(`Batch "${id}" was not found.`);
    }
    expect((await get('/v1/ads/batch', other.token)).json()).toEqual([]);
    expect((await get('/v1/ads/batch')).json().some((b: { batch_id: string }) => b.batch_id === id)).toBe(true);
    expect((await get('/v1/ads/batch/batch_unknown')).statusCode).toBe(404);
  });

  it('a row job cancelled on its own still lets the batch settle', async () => {
    const res = await post({ template_id: '1061', rows: [{ elements: [heading('__sleep:600')] }] });
    const id = res.json().batch_id;
    const row = (await status(id)).rows[0] as Row;
    await t.app.inject({ method: 'POST', url: `/v1/jobs/${row.request_id}/cancel`, headers: { api_token: t.token } });
    const done = await final(id);
    expect(done.status).toBe('COMPLETED');
    expect(done.rows[0].status).toBe('cancelled');
  });
});

describe('batch webhook', () => {
  it('POSTs the batch once on its terminal state, signed with the org secret (receiver on 127.0.0.1)', async () => {
    const w = await startApp({ workers: 1, allowPrivateUrls: true });
    const receiver = await startReceiver();
    const received = receiver.received;
    try {
      const res = await w.app.inject({
        method: 'POST',
        url: '/v1/ads/batch',
        headers: { api_token: w.token },
        payload: { template_id: '1061', webhook_url: receiver.url(), rows: [{ key: 'a' }, { key: 'b', elements: [{ content_type: 'Nope', content: 'x' }] }] },
      });
      const id = res.json().batch_id;
      const delivery = await waitFor(async () => received[0] ?? null);
      const payload = JSON.parse(delivery.body);
      expect(payload).toMatchObject({ id, type: 'batch.completed', status: 'COMPLETED', progress: { rows_total: 2, rows_done: 2, rows_failed: 1 } });
      expect(payload.rows.map((r: Row) => r.status)).toEqual(['completed', 'failed']);
      const org = await w.ctx.store.getOrg(await orgOf(w.app, w.token));
      const expected = signWebhook(org?.webhookSecret ?? '', String(delivery.headers['webhook-id']), Number(delivery.headers['webhook-timestamp']), delivery.body);
      expect(delivery.headers['webhook-signature']).toBe(expected);
      await new Promise((r) => setTimeout(r, 300));
      expect(received.length).toBe(1);
      const listed = (await w.app.inject({ url: '/v1/webhooks/deliveries', headers: { api_token: w.token } })).json();
      expect(listed[0]).toMatchObject({ request_id: id, status: 'delivered' });
    } finally {
      receiver.close();
      await w.close();
    }
  });
});

describe('batch recovery at start-up', () => {
  it('settles a batch whose rows finished while no tracker watched, and queues its lost webhook', async () => {
    const w = await startApp({ workers: 1, allowPrivateUrls: true });
    const receiver = await startReceiver();
    try {
      const res = await w.app.inject({ method: 'POST', url: '/v1/ads/batch', headers: { api_token: w.token }, payload: { template_id: '1061', webhook_url: receiver.url(), rows: [{ elements: [heading('__sleep:3000')] }] } });
      const id = res.json().batch_id as string;
      const job = (await w.ctx.store.getBatchRows(id))[0]?.jobId as string;
      // The row's job ends behind the server's back (as if the process died before the batch was settled).
      expect(await w.ctx.store.cancelJob(job)).toBe(true);
      expect((await w.ctx.store.getBatch(id))?.status).toBe('IN_PROGRESS');
      await new BatchTracker(w.ctx).recover(); // what onReady runs
      expect((await w.ctx.store.getBatch(id))?.status).toBe('COMPLETED');
      const payload = JSON.parse((await waitFor(async () => receiver.received[0] ?? null)).body);
      expect(payload).toMatchObject({ id, type: 'batch.completed', rows: [{ status: 'cancelled' }] });
      expect(await w.ctx.store.batchesMissingDelivery(10)).toEqual([]);
    } finally {
      receiver.close();
      await w.close();
    }
  });
});

describe('batch documentation', () => {
  it('/openapi.json documents every batch route', async () => {
    const doc = (await t.app.inject('/openapi.json')).json();
    expect(Object.keys(doc.paths['/ads/batch'])).toEqual(['post', 'get']);
    expect(doc.paths['/ads/batch'].post.requestBody.content['application/json'].schema.required).toEqual(['template_id', 'rows']);
    expect(Object.keys(doc.paths['/ads/batch/{id}'])).toEqual(['get', 'delete']);
    expect(doc.paths['/ads/batch/{id}/cancel'].post).toBeDefined();
    expect(doc.paths['/ads/batch/{id}/events'].get).toBeDefined();
  });
});
