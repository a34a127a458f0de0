import { describe, expect, it } from 'vitest';
import { verifyWebhook, WebhookVerificationError } from '../../src/client/index.js';
import { signWebhook } from '../../src/server/jobs/webhooks.js';
import { newWebhookSecret } from '../../src/common/ids.js';

/** verifyWebhook (Web Crypto) against the server's signer (node:crypto) and the Standard Webhooks vector. */
const VECTOR = {
  secret: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
  id: 'msg_p5jXN8AQM9LWM0D4loKWxJek',
  timestamp: 1614265330,
  body: '{"test": 2432232314}',
  signature: 'v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=',
};
const at = (ts: number) => ts * 1000;

function signed(secret: string, body: string, timestamp = Math.floor(Date.now() / 1000), id = 'msg_1') {
  return { 'webhook-id': id, 'webhook-timestamp': String(timestamp), 'webhook-signature': signWebhook(secret, id, timestamp, body) };
}

describe('verifyWebhook', () => {
  it('accepts the Standard Webhooks reference vector', async () => {
    const headers = { 'webhook-id': VECTOR.id, 'webhook-timestamp': String(VECTOR.timestamp), 'webhook-signature': VECTOR.signature };
    expect(await verifyWebhook(headers, VECTOR.body, VECTOR.secret, { now: at(VECTOR.timestamp) })).toEqual({ test: 2432232314 });
  });

  it('accepts what the server signs, with fetch Headers or a Node header object, a string or bytes body', async () => {
    const secret = newWebhookSecret();
    const body = JSON.stringify({ id: 'job_1', status: 'COMPLETED', output: { result: [] } });
    const h = signed(secret, body);
    expect(await verifyWebhook(h, body, secret)).toMatchObject({ id: 'job_1', status: 'COMPLETED' });
    expect(await verifyWebhook(new Headers(h), new TextEncoder().encode(body), secret)).toMatchObject({ id: 'job_1' });
    const upper = { 'Webhook-Id': h['webhook-id'], 'Webhook-Timestamp': [h['webhook-timestamp']], 'Webhook-Signature': h['webhook-signature'] };
    expect(await verifyWebhook(upper, body, secret)).toMatchObject({ id: 'job_1' });
    // Several signatures (secret rotation): one matching is enough.
    expect(await verifyWebhook({ ...h, 'webhook-signature': `v1,AAAA ${h['webhook-signature']}` }, body, secret)).toMatchObject({ id: 'job_1' });
  });

  it('rejects a changed body, another secret, a changed id, a missing header', async () => {
    const secret = newWebhookSecret();
    const body = '{"status":"COMPLETED"}';
    const h = signed(secret, body);
    const reject = (p: Promise<unknown>, message: RegExp) => expect(p).rejects.toThrow(message);
    await reject(verifyWebhook(h, body.replace('COMPLETED', 'ERROR'), secret), /No webhook signature matches/);
    await reject(verifyWebhook(h, body, newWebhookSecret()), /No webhook signature matches/);
    await reject(verifyWebhook({ ...h, 'webhook-id': 'msg_2' }, body, secret), /No webhook signature matches/);
    await reject(verifyWebhook({ ...h, 'webhook-signature': 'v2,abc' }, body, secret), /No webhook signature matches/);
    const { 'webhook-signature': _drop, ...unsigned } = h;
    await reject(verifyWebhook(unsigned, body, secret), /headers are required/);
    await reject(verifyWebhook(h, body, 'not base64 at all!'), /whsec_/);
    await expect(verifyWebhook(h, body, newWebhookSecret())).rejects.toBeInstanceOf(WebhookVerificationError);
  });

  it('rejects timestamps more than 5 minutes off (replays), either way; the tolerance is configurable', async () => {
    const secret = newWebhookSecret();
    const body = '{}';
    const now = Date.now();
    const ts = Math.floor(now / 1000);
    await expect(verifyWebhook(signed(secret, body, ts - 301), body, secret, { now })).rejects.toThrow(/301 s old; at most 300 s/);
    await expect(verifyWebhook(signed(secret, body, ts + 400), body, secret, { now })).rejects.toThrow(/in the future/);
    expect(await verifyWebhook(signed(secret, body, ts - 299), body, secret, { now })).toEqual({});
    expect(await verifyWebhook(signed(secret, body, ts - 3000), body, secret, { now, toleranceSeconds: 3600 })).toEqual({});
  });
});
