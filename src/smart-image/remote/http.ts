/**
 * HTTP for remote generative providers: one JSON/multipart call with a per-attempt
 * timeout and a byte limit, retried with exponential backoff (and Retry-After) on
 * 429, 5xx, network errors and attempt timeouts, all inside one deadline for the
 * whole operation (submit + polling + result download).
 *
 * The provider's base URL is the operator's configuration, so API calls use plain
 * `fetch` (a local OpenAI-compatible server on localhost is a legitimate set-up).
 * URLs that come *from* a provider's answer are fetched by `result-image.ts` with
 * the guarded fetcher instead.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import type { RemoteLimits } from './limits.js';
import { formatDuration, ProviderError, redact, snippet } from './errors.js';

/**
 * One provider operation with its own deadline (maxTotalMs from now); whatever it
 * throws leaves as a ProviderError whose message has the secrets redacted.
 */
export async function runOperation<T>(provider: string, limits: RemoteLimits, secrets: readonly string[], what: string, fn: (ctx: CallContext) => Promise<T>): Promise<T> {
  const ctx = operationContext(provider, limits, secrets);
  try {
    return await fn(ctx);
  } catch (e) {
    const err = e instanceof ProviderError ? e : new ProviderError(provider, 'network', `${what}: ${(e as Error).message}`);
    throw new ProviderError(provider, err.kind, redact(err.message, secrets), err.retryable);
  }
}

export interface CallContext {
  /** Provider name for messages, e.g. 'bria'. */
  provider: string;
  limits: RemoteLimits;
  /** Epoch ms by which the whole operation must be done (submit, polling, download). */
  deadline: number;
  /** Values that must never appear in a message (API keys). */
  secrets: readonly string[];
  /** Jitter source for backoff; Math.random by default. */
  random?: () => number;
}

/** A fresh context for one operation: its deadline starts now. */
export function operationContext(provider: string, limits: RemoteLimits, secrets: readonly string[]): CallContext {
  return { provider, limits, deadline: Date.now() + limits.maxTotalMs, secrets };
}

/** Largest JSON answer read from an API (results with b64_json images are big; URLs are small). */
function jsonLimit(limits: RemoteLimits): number {
  return Math.ceil(limits.maxResultBytes * 1.4) + 64 * 1024;
}

/**
 * Runs `attempt` until it succeeds, a non-retryable error occurs, the retries are
 * used up or the deadline is near. Each attempt gets min(timeoutMs, time left).
 */
export async function withRetries<T>(ctx: CallContext, attempt: (timeoutMs: number) => Promise<T>): Promise<T> {
  const random = ctx.random ?? Math.random;
  for (let i = 0; ; i++) {
    const left = ctx.deadline - Date.now();
    if (left <= 0) throw new ProviderError(ctx.provider, 'timeout', `gave up after ${formatDuration(ctx.limits.maxTotalMs)} (the operation's time limit)`);
    try {
      return await attempt(Math.min(ctx.limits.timeoutMs, left));
    } catch (e) {
      const err = e instanceof ProviderError ? e : new ProviderError(ctx.provider, 'network', (e as Error).message);
      const tries = i + 1;
      const note = tries > 1 ? ` (${tries} attempts)` : '';
      if (!err.retryable || i >= ctx.limits.retries) throw withMessage(err, `${err.message}${note}`, ctx);
      // Exponential backoff with jitter, or what the server asked for (capped by the deadline).
      const wait = err.retryAfterMs ?? ctx.limits.backoffMs * 2 ** i * (0.5 + random() / 2);
      if (Date.now() + wait >= ctx.deadline) throw withMessage(err, `${err.message}${note}; no time left to retry`, ctx);
      await sleep(wait);
    }
  }
}

function withMessage(err: ProviderError, message: string, ctx: CallContext): ProviderError {
  return new ProviderError(err.provider, err.kind, redact(message, ctx.secrets), err.retryable, err.retryAfterMs);
}

/** Retry-After in ms (seconds or an HTTP date), at most 60 s; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const secs = Number(value);
  const ms = Number.isFinite(secs) ? secs * 1000 : Date.parse(value) - Date.now();
  return Number.isFinite(ms) && ms >= 0 ? Math.min(ms, 60_000) : undefined;
}

export interface HttpAnswer {
  status: number;
  headers: Headers;
  body: Buffer;
}

/** One HTTP exchange, body read in full within `timeoutMs` and `maxBytes`. Throws ProviderError. */
export async function sendOnce(
  ctx: CallContext,
  what: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | FormData },
  timeoutMs: number,
  maxBytes: number,
): Promise<HttpAnswer> {
  const abort = new AbortController();
  const timer = setTimeout(() => abort.abort(), timeoutMs);
  try {
    const res = await fetch(url, { method: init.method, headers: init.headers, body: init.body ?? null, redirect: 'error', signal: abort.signal });
    const declared = Number(res.headers.get('content-length') ?? '0');
    if (declared > maxBytes) {
      abort.abort();
      throw new ProviderError(ctx.provider, 'too_large', `${what} answered ${declared} bytes, more than the limit of ${maxBytes}`);
    }
    const chunks: Buffer[] = [];
    let size = 0;
    if (res.body) {
      for await (const chunk of res.body) {
        size += (chunk as Uint8Array).byteLength;
        if (size > maxBytes) {
          abort.abort();
          throw new ProviderError(ctx.provider, 'too_large', `${what} answered more than the limit of ${maxBytes} bytes`);
        }
        chunks.push(Buffer.from(chunk as Uint8Array));
      }
    }
    return { status: res.status, headers: res.headers, body: Buffer.concat(chunks) };
  } catch (e) {
    if (e instanceof ProviderError) throw e;
    if (abort.signal.aborted) throw new ProviderError(ctx.provider, 'timeout', `${what} timed out after ${formatDuration(timeoutMs)}`, true);
    const cause = (e as { cause?: { code?: string; message?: string } }).cause;
    const why = cause?.code ?? cause?.message ?? (e as Error).message;
    throw new ProviderError(ctx.provider, 'network', `${what} is not reachable (${why})`, true);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The provider's own error text from a JSON error body: {error:{message}}, {error:"…"},
 * {message}, {detail}; SD WebUI's {error: type, detail, errors} as "type: detail or errors";
 * FastAPI's validation list {detail: [{loc, msg}]} as "body.steps: msg".
 */
function errorText(body: Buffer): string {
  const raw = body.toString('utf8');
  try {
    const j = JSON.parse(raw) as { error?: { message?: unknown } | string; message?: unknown; detail?: unknown; errors?: unknown };
    const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v : undefined);
    if (Array.isArray(j.detail)) {
      const items = j.detail.map((d: { loc?: unknown; msg?: unknown }) => [Array.isArray(d?.loc) ? d.loc.join('.') : '', text(d?.msg) ?? ''].filter(Boolean).join(': '));
      return snippet(items.filter(Boolean).join('; ') || raw);
    }
    const why = text(j.detail) ?? text(j.errors);
    const m = typeof j.error === 'string' ? (why ? `${j.error}: ${why}` : j.error) : (j.error?.message ?? j.message ?? j.detail);
    if (typeof m === 'string') return snippet(m);
  } catch {
    // not JSON: fall through to the raw text
  }
  return snippet(raw);
}

/**
 * Sort a non-2xx answer into a ProviderError: auth (no retry), 429/5xx (retry), other (no retry).
 * `credential` names what a 401/403 refused ("the API key", "the credentials").
 */
export function statusError(ctx: CallContext, what: string, ans: HttpAnswer, keyVariable: string, credential = 'the API key'): ProviderError {
  const text = errorText(ans.body);
  const detail = text ? `: ${text}` : '';
  if (ans.status === 401 || ans.status === 403)
    return new ProviderError(ctx.provider, 'auth', `${what} refused ${credential} (HTTP ${ans.status}${detail}); check ${keyVariable}`);
  const retryable = ans.status === 429 || ans.status >= 500;
  return new ProviderError(ctx.provider, 'status', `${what} answered HTTP ${ans.status}${detail}`, retryable, retryable ? retryAfterMs(ans.headers.get('retry-after')) : undefined);
}

/** A JSON API call with retries; answers the parsed body of a 2xx. */
export async function requestJson(
  ctx: CallContext,
  what: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | FormData },
  keyVariable: string,
  credential?: string,
): Promise<{ status: number; json: unknown }> {
  return withRetries(ctx, async (timeoutMs) => {
    const ans = await sendOnce(ctx, what, url, init, timeoutMs, jsonLimit(ctx.limits));
    if (ans.status < 200 || ans.status > 299) throw statusError(ctx, what, ans, keyVariable, credential);
    try {
      return { status: ans.status, json: JSON.parse(ans.body.toString('utf8')) as unknown };
    } catch {
      throw new ProviderError(ctx.provider, 'malformed', `${what} answered HTTP ${ans.status} with a body that is not JSON (${snippet(ans.body.toString('utf8')) || 'empty'})`);
    }
  });
}
