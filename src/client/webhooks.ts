import { WebhookVerificationError } from './errors.js';
import type { WebhookPayload } from './types.js';

/** Fetch `Headers`, or a plain object as Node's `req.headers` / Express give them. */
export type HeaderBag = Headers | Record<string, string | string[] | undefined>;

export interface VerifyOptions {
  /** Largest accepted difference between the `webhook-timestamp` and now, in seconds (default 300). */
  toleranceSeconds?: number;
  /** Now, in ms (tests). */
  now?: number;
}

function header(headers: HeaderBag, name: string): string | undefined {
  if (typeof (headers as Headers).get === 'function') return (headers as Headers).get(name) ?? undefined;
  const bag = headers as Record<string, string | string[] | undefined>;
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : bag[key];
  return Array.isArray(value) ? value[0] : value;
}

function fail(message: string): never {
  throw new WebhookVerificationError({ status: 0, code: 'ADS_WEBHOOK_INVALID', message });
}

function base64ToBytes(b64: string): Uint8Array<ArrayBuffer> | null {
  try {
    const binary = atob(b64);
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  } catch {
    return null;
  }
}

/** Same length and same bytes, in time that does not depend on where they differ. */
function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= (a[i] as number) ^ (b[i] as number);
  return diff === 0;
}

/**
 * Verifies an Adsmith webhook (Standard Webhooks): `webhook-signature` holds
 * `v1,<base64 HMAC-SHA256 of "id.timestamp.body">` keyed with the base64 part of
 * the `whsec_…` secret (`GET /v1/org` → `webhook_secret`). Pass the body exactly
 * as received (string or bytes), before any JSON parsing. Resolves to the parsed
 * payload; throws WebhookVerificationError when a header is missing, the
 * timestamp is more than 5 minutes off, or no signature matches.
 */
export async function verifyWebhook(headers: HeaderBag, body: string | Uint8Array | ArrayBuffer, secret: string, opts: VerifyOptions = {}): Promise<WebhookPayload> {
  const id = header(headers, 'webhook-id');
  const timestamp = header(headers, 'webhook-timestamp');
  const signatures = header(headers, 'webhook-signature');
  if (!id || !timestamp || !signatures) fail('The webhook-id, webhook-timestamp and webhook-signature headers are required; this request lacks one.');
  if (!/^\d{1,12}$/.test(timestamp)) fail(`webhook-timestamp "${timestamp.slice(0, 40)}" is not a Unix time in seconds.`);
  const tolerance = opts.toleranceSeconds ?? 300;
  const skew = Math.floor((opts.now ?? Date.now()) / 1000) - Number(timestamp);
  if (Math.abs(skew) > tolerance) fail(`The webhook timestamp is ${Math.abs(skew)} s ${skew > 0 ? 'old' : 'in the future'}; at most ${tolerance} s is accepted (replayed or clock skew).`);

  const key = base64ToBytes(secret.replace(/^whsec_/, ''));
  if (!key || key.length === 0) fail('The webhook secret is not a whsec_… base64 secret: copy webhook_secret from GET /v1/org.');
  const bodyBytes = typeof body === 'string' ? new TextEncoder().encode(body) : body instanceof ArrayBuffer ? new Uint8Array(body) : body;
  const prefix = new TextEncoder().encode(`${id}.${timestamp}.`);
  const signed = new Uint8Array(prefix.length + bodyBytes.length);
  signed.set(prefix, 0);
  signed.set(bodyBytes, prefix.length);

  const cryptoKey = await crypto.subtle.importKey('raw', key, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const expected = new Uint8Array(await crypto.subtle.sign('HMAC', cryptoKey, signed));
  // The header may list several signatures (secret rotation): "v1,abc v1,def".
  const matched = signatures
    .split(' ')
    .filter((s) => s.startsWith('v1,'))
    .some((s) => {
      const given = base64ToBytes(s.slice(3));
      return given !== null && constantTimeEqual(given, expected);
    });
  if (!matched) fail('No webhook signature matches: the body was changed, or the secret is not this organisation\'s webhook_secret.');
  const text = typeof body === 'string' ? body : new TextDecoder().decode(bodyBytes);
  try {
    return JSON.parse(text) as WebhookPayload;
  } catch {
    return fail('The webhook body is signed but is not JSON.');
  }
}
