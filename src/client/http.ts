import { ConnectionError, errorFromResponse, parseRetryAfter, TimeoutError } from './errors.js';

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export interface HttpOptions {
  apiKey: string;
  baseUrl: string;
  fetch: FetchLike;
  /** Per request: until the whole answer (JSON calls) or its headers (streams) arrived. */
  timeoutMs: number;
  /** Retries after 429, 503 and, for idempotent calls, network errors. */
  maxRetries: number;
  /** A Retry-After longer than this is not waited for: the error is thrown instead. */
  maxRetryDelayMs: number;
}

export interface HttpRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** `/v1/…` (joined to the base URL) or an absolute URL (result URLs). */
  path: string;
  json?: unknown;
  form?: FormData;
  headers?: Record<string, string>;
  /** Safe to send again after a network error (GETs, PUTs, DELETEs, POSTs carrying an Idempotency-Key). */
  idempotent?: boolean;
  signal?: AbortSignal | undefined;
  timeoutMs?: number;
  /** Send the API token (default true; result and file URLs need none). */
  auth?: boolean;
}

/** Waits `ms`, or rejects with the signal's reason once it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** Exponential backoff with jitter: ~0.5 s, 1 s, 2 s … capped at 8 s. */
export function backoffMs(attempt: number): number {
  return Math.min(8000, 500 * 2 ** attempt) * (0.75 + Math.random() * 0.5);
}

/** A controller that aborts when `parent` does or after `timeoutMs` (0: never); `timedOut` tells which. */
function linkedController(parent: AbortSignal | undefined, timeoutMs: number) {
  const controller = new AbortController();
  let timedOut = false;
  const onAbort = () => controller.abort(parent?.reason);
  if (parent?.aborted) controller.abort(parent.reason);
  else parent?.addEventListener('abort', onAbort, { once: true });
  const timer =
    timeoutMs > 0
      ? setTimeout(() => {
          timedOut = true;
          controller.abort(new Error('timeout'));
        }, timeoutMs)
      : undefined;
  return {
    signal: controller.signal,
    timedOut: () => timedOut,
    /** The answer arrived: stop the timer; `detach` too unless the body is still being streamed (the caller's signal must still stop it). */
    done: (detach = true) => {
      if (timer !== undefined) clearTimeout(timer);
      if (detach) parent?.removeEventListener('abort', onAbort);
    },
  };
}

/** Node's fetch hides the reason ("fetch failed") in `cause`; browsers give only a TypeError. */
function networkReason(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return cause.code === 'ECONNREFUSED' ? 'connection refused' : cause.code === 'ENOTFOUND' ? 'host not found' : cause.code;
  return cause?.message ?? (err instanceof Error ? err.message : String(err));
}

async function readBody(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return undefined;
  if (/json/i.test(res.headers.get('content-type') ?? '')) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}

/**
 * The one place requests are sent: base URL, token, timeout, retries with
 * backoff, and the mapping of failures to typed errors.
 */
export class Http {
  constructor(readonly opts: HttpOptions) {}

  url(path: string): string {
    return /^https?:\/\//i.test(path) ? path : `${this.opts.baseUrl}${path}`;
  }

  /** Sends a request and parses its JSON answer (undefined for empty bodies, e.g. 204). */
  async json<T>(req: HttpRequest): Promise<T> {
    return (await this.send(req, async (res) => readBody(res))) as T;
  }

  /** Sends a request and returns the response once its headers arrived (streams, binary bodies); the caller reads the body. */
  async open(req: HttpRequest): Promise<Response> {
    return this.send(req, async (res) => res, { bodyInTimeout: false });
  }

  private async send<T>(req: HttpRequest, read: (res: Response) => Promise<T>, mode = { bodyInTimeout: true }): Promise<T> {
    const url = this.url(req.path);
    const label = `${req.method} ${url.replace(this.opts.baseUrl, '')}`;
    const headers: Record<string, string> = { accept: 'application/json', ...req.headers };
    if (req.auth !== false) headers['authorization'] = `Bearer ${this.opts.apiKey}`;
    let body: string | FormData | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) body = req.form;

    for (let attempt = 0; ; attempt++) {
      const link = linkedController(req.signal, req.timeoutMs ?? this.opts.timeoutMs);
      let res: Response;
      try {
        res = await this.opts.fetch(url, { method: req.method, headers, ...(body !== undefined ? { body } : {}), signal: link.signal });
      } catch (err) {
        link.done();
        if (req.signal?.aborted) throw req.signal.reason;
        const failure = link.timedOut()
          ? new TimeoutError({ status: 0, code: 'ADS_TIMEOUT', request: label, message: `The Adsmith server at ${this.opts.baseUrl} did not answer ${label} within ${req.timeoutMs ?? this.opts.timeoutMs} ms.`, cause: err })
          : new ConnectionError({
              status: 0,
              code: 'ADS_CONNECTION_FAILED',
              request: label,
              cause: err,
              message: `Could not reach the Adsmith server at ${new URL(url).origin} (${networkReason(err)}). Check the URL, or start a server with \`npm start\`.`,
            });
        if (req.idempotent && attempt < this.opts.maxRetries) {
          await sleep(backoffMs(attempt), req.signal);
          continue;
        }
        throw failure;
      }

      if (res.ok) {
        try {
          return await read(res);
        } catch (err) {
          if (req.signal?.aborted) throw req.signal.reason;
          if (link.timedOut()) throw new TimeoutError({ status: 0, code: 'ADS_TIMEOUT', request: label, message: `The answer to ${label} did not arrive within ${req.timeoutMs ?? this.opts.timeoutMs} ms.`, cause: err });
          throw err;
        } finally {
          link.done(mode.bodyInTimeout);
        }
      }

      // Not a success: read the error body under the same deadline, then decide whether to retry.
      let errBody: unknown;
      try {
        errBody = await readBody(res);
      } catch {
        errBody = undefined;
      } finally {
        link.done();
      }
      const retryAfter = res.headers.get('retry-after');
      const error = errorFromResponse(res.status, errBody, { request: label, retryAfter });
      // 429 and 503 mean "not applied, come back later": safe to send again whatever the method.
      if ((res.status === 429 || res.status === 503) && attempt < this.opts.maxRetries) {
        const waitSec = parseRetryAfter(retryAfter);
        const delay = waitSec !== undefined ? waitSec * 1000 : backoffMs(attempt);
        if (delay <= this.opts.maxRetryDelayMs) {
          await sleep(delay, req.signal);
          continue;
        }
      }
      throw error;
    }
  }
}
