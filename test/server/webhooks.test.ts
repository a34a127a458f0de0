import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import { signWebhook } from '../../src/server/jobs/webhooks.js';
import { FAKE_WORKER, fixtureEngine, startApp, tempDir, waitFor } from './helpers.js';

/** A webhook receiver on 127.0.0.1 (loopback only). `plan` says what to answer to each call in turn. */
function receiver() {
  const calls: Array<{ headers: http.IncomingHttpHeaders; body: string }> = [];
  const plan: number[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (d) => (body += d));
    req.on('end', () => {
      calls.push({ headers: req.headers, body });
      res.statusCode = plan.shift() ?? 200;
      res.end('ok');
    });
  });
  return new Promise<{ url: string; calls: typeof calls; plan: number[]; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const port = (server.address() as AddressInfo).port;
      resolve({ url: `http://127.0.0.1:${port}/hook`, calls, plan, close: () => new Promise((r) => server.close(() => r())) });
    }),
  );
}

function verify(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
  const expected = createHmac('sha256', key).update(`${headers['webhook-id']}.${headers['webhook-timestamp']}.${body}`).digest('base64');
  return String(headers['webhook-signature']).split(' ').includes(`v1,${expected}`);
}

let t: Awaited<ReturnType<typeof startApp>>;
let rx: Awaited<ReturnType<typeof receiver>>;
beforeAll(async () => {
  t = await startApp({ allowPrivateUrls: true });
  rx = await receiver();
});
afterAll(async () => {
  await t.close();
  await rx.close();
});

describe('webhooks', () => {
  it('signs with Standard Webhooks headers (known vector)', () => {
    // Vector from the Standard Webhooks specification's reference libraries.
    const sig = signWebhook('whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw', 'msg_p5jXN8AQM9LWM0D4loKWxJek', 1614265330, '{"test": 2432232314}');
    expect(sig).toBe('v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=');
  });

  it('POSTs the job on its terminal state, signed with the org secret; retries with backoff after failures', async () => {
    rx.plan.push(500, 503);
    const res = await t.app.inject({
      method: 'POST',
      url: '/v1/ads/generate',
      headers: { api_token: t.token },
      payload: { template_id: '1061', webhook_url: rx.url },
    });
    expect(res.statusCode).toBe(200);
    const id = res.json().request_id;
    await waitFor(async () => rx.calls.length >= 3);
    const org = await t.app.inject({ url: '/v1/org', headers: { api_token: t.token } });
    const secret = org.json().webhook_secret as string;
    for (const c of rx.calls) {
      expect(verify(secret, c.headers, c.body)).toBe(true);
      expect(c.headers['content-type']).toBe('application/json');
    }
    const payload = JSON.parse(rx.calls[2]?.body ?? '{}');
    expect(payload).toMatchObject({ id, status: 'COMPLETED', error: '' });
    expect(payload.output.result).toHaveLength(2);
    expect(payload.created_at).toBeTruthy();
    expect(payload.updated_at).toBeTruthy();
    // the same message id across retries
    expect(new Set(rx.calls.map((c) => c.headers['webhook-id'])).size).toBe(1);

    const list = await waitFor(async () => {
      const l = (await t.app.inject({ url: '/v1/webhooks/deliveries', headers: { api_token: t.token } })).json();
      return l[0]?.status === 'delivered' ? l : null;
    });
    expect(list[0]).toMatchObject({ request_id: id, status: 'delivered', attempts: 3, last_status_code: 200 });

    const replay = await t.app.inject({ method: 'POST', url: `/v1/webhooks/deliveries/${list[0].id}/replay`, headers: { api_token: t.token } });
    expect(replay.statusCode).toBe(202);
    await waitFor(async () => rx.calls.length >= 4);
    expect(rx.calls[3]?.body).toBe(rx.calls[2]?.body);
    expect(rx.calls[3]?.headers['webhook-id']).not.toBe(rx.calls[2]?.headers['webhook-id']);

    const other = await t.newOrg('pro');
    const theirs = await t.app.inject({ url: '/v1/webhooks/deliveries', headers: { api_token: other.token } });
    expect(theirs.json()).toEqual([]);
    const steal = await t.app.inject({ method: 'POST', url: `/v1/webhooks/deliveries/${list[0].id}/replay`, headers: { api_token: other.token } });
    expect(steal.statusCode).toBe(404);
  });

  it('gives up after the last backoff step and records the failure', async () => {
    rx.plan.push(500, 500, 500);
    const res = await t.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: t.token }, payload: { template_id: '1061', webhook_url: rx.url } });
    const id = res.json().request_id;
    const d = await waitFor(async () => {
      const l = (await t.app.inject({ url: '/v1/webhooks/deliveries', headers: { api_token: t.token } })).json();
      const mine = l.find((x: { request_id: string }) => x.request_id === id);
      return mine?.status === 'failed' ? mine : null;
    });
    expect(d).toMatchObject({ attempts: 3, last_status_code: 500, last_error: 'receiver answered HTTP 500' });
  });

  it('refuses private webhook targets unless ADSMITH_ALLOW_PRIVATE_URLS', async () => {
    const strict = await startApp({ allowPrivateUrls: false });
    const res = await strict.app.inject({ method: 'POST', url: '/v1/ads/generate', headers: { api_token: strict.token }, payload: { template_id: '1061', webhook_url: 'http://169.254.169.254/latest' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.message).toMatch(/webhook_url points to a link-local/);
    await strict.close();
  });

  it('pending retries survive a restart', async () => {
    const dataDir = tempDir();
    const config = loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://ads.test', workers: 0, logger: false, allowPrivateUrls: true, webhookBackoff: [0.05] });
    const one = await buildApp(config, { engine: fixtureEngine, workerScript: FAKE_WORKER, webhookPollMs: 60_000 });
    const { createOrg } = await import('../../src/admin/index.js');
    const { org } = await createOrg(one.ctx.store, { name: 'r', plan: 'pro' });
    await one.ctx.store.addDelivery({ id: 'msg_restart', orgId: org.id, jobId: 'job_x', url: rx.url, payload: '{"id":"job_x"}', nextAttemptAt: Date.now() });
    await one.app.close(); // never sent: the first process stopped before its dispatcher ran
    const before = rx.calls.length;
    const two = await buildApp(config, { engine: fixtureEngine, workerScript: FAKE_WORKER, webhookPollMs: 50 });
    await two.app.ready();
    await waitFor(async () => rx.calls.length > before);
    expect(rx.calls[rx.calls.length - 1]?.headers['webhook-id']).toBe('msg_restart');
    await two.app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });
});
