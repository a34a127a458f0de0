/**
 * Typed errors of the Adsmith client. Every HTTP status the API answers maps to
 * one class, so callers can `catch (e) { if (e instanceof RateLimitError) … }`
 * instead of reading status numbers. Errors that never reached the server
 * (unreachable host, timeout, a local file that cannot be read) have their own
 * classes with `status: 0`.
 */

export interface AdsmithErrorInit {
  status: number;
  code: string;
  message: string;
  /** The request that failed, e.g. `POST /v1/ads/generate`. */
  request?: string;
  /** The response body as received (JSON value or text). */
  body?: unknown;
  cause?: unknown;
}

/** Base of every error the client throws: `status` (0 when no HTTP answer), a stable `code`, a message meant for people. */
export class AdsmithError extends Error {
  readonly status: number;
  readonly code: string;
  readonly request: string | undefined;
  readonly body: unknown;

  constructor(init: AdsmithErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.code = init.code;
    this.request = init.request;
    this.body = init.body;
  }
}

/** 400: a field of the request is wrong; the message names it. Also thrown before sending when a local input is unusable. */
export class BadRequestError extends AdsmithError {}
/** 401: missing or wrong API token. */
export class AuthError extends AdsmithError {}
/** 403 "Access denied": the plan does not include the feature (`feature` names it when the server says). */
export class ForbiddenError extends AdsmithError {
  get feature(): string | undefined {
    return /\(feature: ([^)]+)\)/.exec(this.message)?.[1];
  }
}
/** 403 "Quota exceeded": the organisation used every request its plan allows. */
export class QuotaExceededError extends ForbiddenError {}
/** 404: unknown or another organisation's template, brand, job, file or batch. */
export class NotFoundError extends AdsmithError {}
/** 409: e.g. cancelling a job that already finished. */
export class ConflictError extends AdsmithError {}
/** 410: a cancelled scene's result, an expired editor link. */
export class GoneError extends AdsmithError {}
/** 413: the body or the uploaded file is larger than the server accepts. */
export class PayloadTooLargeError extends AdsmithError {}
/** 415: the uploaded file is not an image or font the server accepts. */
export class UnsupportedMediaTypeError extends AdsmithError {}
/** 422: an input image is unusable, failed moderation, or an Idempotency-Key was reused with another body. `parameter` names the input. */
export class UnprocessableError extends AdsmithError {
  readonly parameter: string | undefined;
  constructor(init: AdsmithErrorInit) {
    super(init);
    // "… (elements[0].content: the URL …)" or "… in the 'smart_image.input_image_url' parameter …"
    this.parameter = /\(([\w.[\]]+): /.exec(init.message)?.[1] ?? /in the '([^']+)' parameter/.exec(init.message)?.[1];
  }
}
/** 429: over the plan's per-minute rate; `retryAfter` is in seconds. */
export class RateLimitError extends AdsmithError {
  readonly retryAfter: number | undefined;
  constructor(init: AdsmithErrorInit & { retryAfter?: number }) {
    super(init);
    this.retryAfter = init.retryAfter;
  }
}
/** 5xx: the server failed (500), is busy or closing (503), or a sync wait timed out (504). */
export class ServerError extends AdsmithError {}

/** No HTTP answer: DNS failure, connection refused, reset. The message names the URL. */
export class ConnectionError extends AdsmithError {}
/** The server did not answer within `timeoutMs`. */
export class TimeoutError extends AdsmithError {}
/** A scene or job failed while rendering; `scene` names it when known. */
export class RenderError extends AdsmithError {
  readonly scene: string | undefined;
  constructor(init: AdsmithErrorInit & { scene?: string }) {
    super(init);
    this.scene = init.scene;
  }
}
/** A webhook whose signature or timestamp does not verify. */
export class WebhookVerificationError extends AdsmithError {}

/** The first few hundred characters of a text, for messages. */
const clip = (s: string, n = 300) => (s.length > n ? `${s.slice(0, n)}…` : s);

/** Reads `{error:{code,message}}`, a JSON string (the contract's 403/422 bodies), or plain text. */
function readBody(body: unknown): { code: string | undefined; message: string | undefined } {
  if (typeof body === 'string') return { code: undefined, message: body };
  if (body && typeof body === 'object') {
    const err = (body as { error?: unknown }).error;
    if (err && typeof err === 'object') {
      const e = err as { code?: unknown; message?: unknown };
      return { code: typeof e.code === 'string' ? e.code : undefined, message: typeof e.message === 'string' ? e.message : undefined };
    }
    if (typeof err === 'string') return { code: undefined, message: err };
    const m = (body as { message?: unknown }).message;
    if (typeof m === 'string') return { code: undefined, message: m };
  }
  return { code: undefined, message: undefined };
}

/** Parses a Retry-After header (seconds or an HTTP date) into seconds. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  const at = Date.parse(value);
  return Number.isFinite(at) ? Math.max(0, Math.ceil((at - now) / 1000)) : undefined;
}

/** The typed error for an HTTP answer that is not a success. */
export function errorFromResponse(status: number, body: unknown, opts: { request?: string; retryAfter?: string | null } = {}): AdsmithError {
  const read = readBody(body);
  const message = read.message ?? (typeof body === 'string' && body ? clip(body) : `HTTP ${status}`);
  const init = { status, message, body, ...(opts.request ? { request: opts.request } : {}) };
  switch (status) {
    case 400:
      return new BadRequestError({ ...init, code: read.code ?? 'ADS_BAD_REQUEST' });
    case 401:
      return new AuthError({ ...init, code: read.code ?? 'ADS_UNAUTHORIZED' });
    case 403:
      // The contract's two 403 bodies are strings that differ only by their text.
      return /^Quota exceeded/i.test(message)
        ? new QuotaExceededError({ ...init, code: read.code ?? 'ADS_QUOTA_EXCEEDED' })
        : new ForbiddenError({ ...init, code: read.code ?? 'ADS_ACCESS_DENIED' });
    case 404:
      return new NotFoundError({ ...init, code: read.code ?? 'ADS_NOT_FOUND' });
    case 409:
      return new ConflictError({ ...init, code: read.code ?? 'ADS_CONFLICT' });
    case 410:
      return new GoneError({ ...init, code: read.code ?? 'ADS_GONE' });
    case 413:
      return new PayloadTooLargeError({ ...init, code: read.code ?? 'ADS_TOO_LARGE' });
    case 415:
      return new UnsupportedMediaTypeError({ ...init, code: read.code ?? 'ADS_UNSUPPORTED_MEDIA_TYPE' });
    case 422: {
      const code =
        read.code ??
        (/^Unprocessable Entity/.test(message) ? 'ADS_URL_UNUSABLE' : /content moderation/.test(message) ? 'ADS_INPUT_MODERATED' : /Idempotency-Key/.test(message) ? 'ADS_IDEMPOTENCY_MISMATCH' : 'ADS_UNPROCESSABLE');
      return new UnprocessableError({ ...init, code });
    }
    case 429: {
      const retryAfter = parseRetryAfter(opts.retryAfter);
      return new RateLimitError({ ...init, code: read.code ?? 'ADS_RATE_LIMITED', ...(retryAfter !== undefined ? { retryAfter } : {}) });
    }
    default:
      if (status >= 500) return new ServerError({ ...init, code: read.code ?? 'ADS_SERVER_ERROR' });
      return new AdsmithError({ ...init, code: read.code ?? `HTTP_${status}` });
  }
}
