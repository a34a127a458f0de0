/**
 * Errors of remote generative providers. Every message is written for the job
 * record ("bria: timed out after 30 s") and passes through `redact`, so an API
 * key can never reach an error, a warning or a log line — even when a server
 * echoes it back in its error body.
 */
export type ProviderErrorKind =
  /** An attempt or the whole operation ran out of time. */
  | 'timeout'
  /** 401/403: the key is missing, wrong or not allowed this operation. */
  | 'auth'
  /** Any other non-2xx answer (after retries for 429/5xx). */
  | 'status'
  /** A 2xx answer without the fields the protocol promises, or a result that is not an image. */
  | 'malformed'
  /** The provider's job ended in ERROR/UNKNOWN. */
  | 'job_failed'
  /** Connection refused/reset, DNS failure. */
  | 'network'
  /** An answer or result image larger than the configured limit. */
  | 'too_large'
  /** A result URL we will not fetch (scheme, private address). */
  | 'refused';

export class ProviderError extends Error {
  constructor(
    readonly provider: string,
    readonly kind: ProviderErrorKind,
    message: string,
    /** Worth another attempt (429, 5xx, network, attempt timeout). */
    readonly retryable = false,
    /** Server-requested wait before the next attempt (Retry-After), ms. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
    this.name = 'ProviderError';
  }
}

/** Replace every occurrence of each secret (and its base64/URL-encoded forms) with [redacted]. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    for (const form of new Set([s, encodeURIComponent(s), Buffer.from(s).toString('base64')])) out = out.split(form).join('[redacted]');
  }
  return out;
}

/** "30 s", "1.5 s", "250 ms": durations for messages. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  return `${Number.isInteger(s) || s >= 10 ? Math.round(s) : s.toFixed(1)} s`;
}

/** The first 200 characters of an error body, on one line (providers answer HTML on gateway errors). */
export function snippet(body: string): string {
  const one = body.replace(/\s+/g, ' ').trim();
  return one.length > 200 ? `${one.slice(0, 200)}…` : one;
}
