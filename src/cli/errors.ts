import { AdminError } from '../admin/index.js';
import {
  AdsmithError as ClientError,
  AuthError,
  ConnectionError,
  ForbiddenError,
  RateLimitError,
  RenderError,
  ServerError,
  TimeoutError,
} from '../client/index.js';
import { isAdsmithError } from '../errors/catalogue.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failure: 1, input: 2, auth: 3, quota: 4, server: 5, interrupted: 130 } as const;
export type ExitKind = keyof typeof EXIT;

export class CliError extends Error {
  constructor(
    readonly kind: ExitKind,
    message: string,
  ) {
    super(message);
  }
}

/** What a client error means for the shell: auth (3), plan limits (4), the server or the network (5), anything else the user sent (2). */
export function exitKindOf(err: ClientError): ExitKind {
  if (err instanceof AuthError) return 'auth';
  // QuotaExceededError is a ForbiddenError: both are the plan saying no, as is the per-minute rate.
  if (err instanceof ForbiddenError || err instanceof RateLimitError) return 'quota';
  // A job that rendered nothing because of what was asked (e.g. a max_kb no scene fits) is the caller's to fix.
  if (err instanceof RenderError) return err.status >= 400 && err.status < 500 && err.status !== 410 ? 'input' : 'server';
  if (err instanceof ServerError || err instanceof ConnectionError || err instanceof TimeoutError) return 'server';
  return 'input';
}

/** Map any error to a one-line message and an exit code; never a stack trace. */
export function toExit(err: unknown): { message: string; code: number } {
  if (err instanceof CliError) return { message: err.message, code: EXIT[err.kind] };
  // Admin commands reject bad arguments (unknown plan, org, token) with AdminError.
  if (err instanceof AdminError) return { message: err.message, code: EXIT.input };
  if (err instanceof AuthError && err.status === 401) {
    return { message: `The server refused the API token (401): check --token or ADSMITH_TOKEN. ${err.message}`, code: EXIT.auth };
  }
  if (err instanceof ClientError) return { message: err.message, code: EXIT[exitKindOf(err)] };
  if (isAdsmithError(err)) return { message: `${err.message} [${err.code}]`, code: err.status < 500 ? EXIT.input : EXIT.failure };
  return { message: err instanceof Error ? err.message : String(err), code: EXIT.failure };
}
