import { AdminError } from '../admin/index.js';
import { isAdsmithError } from '../errors/catalogue.js';

/** Exit codes scripts can rely on. */
export const EXIT = { ok: 0, failure: 1, input: 2, auth: 3, quota: 4, server: 5 } as const;
export type ExitKind = keyof typeof EXIT;

export class CliError extends Error {
  constructor(
    readonly kind: ExitKind,
    message: string,
  ) {
    super(message);
  }
}

/** Map any error to a one-line message and an exit code; never a stack trace. */
export function toExit(err: unknown): { message: string; code: number } {
  if (err instanceof CliError) return { message: err.message, code: EXIT[err.kind] };
  // Admin commands reject bad arguments (unknown plan, org, token) with AdminError.
  if (err instanceof AdminError) return { message: err.message, code: EXIT.input };
  if (isAdsmithError(err)) return { message: `${err.message} [${err.code}]`, code: err.status < 500 ? EXIT.input : EXIT.failure };
  return { message: err instanceof Error ? err.message : String(err), code: EXIT.failure };
}
