/**
 * How the PostgreSQL adapter reports a database it cannot reach: an error that names PostgreSQL and the server
 * (never the password), and a test the API can use to answer 503 with Retry-After instead of 500.
 */

/** Node socket errors that mean the server could not be reached or went away. */
const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE', 'ECONNABORTED']);

/**
 * SQLSTATEs that mean the server is unavailable rather than the request wrong: class 08 (connection exception),
 * 57P01-57P03 (administrator shutdown, crash shutdown, cannot connect now: starting up or shutting down) and
 * 53300 (too many connections).
 */
const UNAVAILABLE_SQLSTATES = new Set(['57P01', '57P02', '57P03', '53300']);

/** What node-postgres says when a connection broke or could not be made in time (it has no code for these). */
const UNAVAILABLE_MESSAGES = [
  /timeout exceeded when trying to connect/i,
  /connection terminated/i,
  /connection timeout/i,
  /client has encountered a connection error/i,
];

/** The metadata database cannot be reached; retrying later may succeed. */
export class DatabaseUnavailableError extends Error {
  override readonly name = 'DatabaseUnavailableError';
  constructor(
    message: string,
    /** The server as `host:port/database`, for logs (never the password). */
    readonly target: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

function codeOf(err: object): string | undefined {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' ? code : undefined;
}

/**
 * True when `err` says the database is unreachable (refused, reset, timed out, shut down by an administrator,
 * a class 08 connection exception, a pool that could not connect in time), so the caller should answer
 * "try again later" (503 + Retry-After) rather than report a bug. Looks through `cause` and AggregateError.
 */
export function isDatabaseUnavailable(err: unknown, depth = 0): boolean {
  if (!err || typeof err !== 'object' || depth > 5) return false;
  if (err instanceof DatabaseUnavailableError) return true;
  const code = codeOf(err);
  if (code && (NETWORK_CODES.has(code) || UNAVAILABLE_SQLSTATES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  const message = (err as { message?: unknown }).message;
  if (typeof message === 'string' && !code && UNAVAILABLE_MESSAGES.some((re) => re.test(message))) return true;
  const nested = (err as { errors?: unknown }).errors;
  if (Array.isArray(nested) && nested.some((e) => isDatabaseUnavailable(e, depth + 1))) return true;
  return isDatabaseUnavailable((err as { cause?: unknown }).cause, depth + 1);
}

/**
 * `host:port/database` of a postgres:// URL, for messages: user and password are left out. A socket directory
 * given as `?host=/run/postgresql` is shown as the host.
 */
export function describePostgresTarget(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    const host = url.searchParams.get('host') || decodeURIComponent(url.hostname) || 'localhost';
    const port = url.port || '5432';
    const database = decodeURIComponent(url.pathname.replace(/^\//, '')) || '(default database)';
    return `${host}:${port}/${database}`;
  } catch {
    return '(unparseable connection URL)';
  }
}

/** A short reason from a driver error: its code and first line, without anything from the connection URL. */
export function reasonOf(err: unknown): string {
  if (!err || typeof err !== 'object') return String(err);
  const nested = (err as { errors?: unknown }).errors;
  if (Array.isArray(nested) && nested.length > 0) return nested.map(reasonOf).join('; ');
  const code = codeOf(err);
  const message = String((err as { message?: unknown }).message ?? err).split('\n')[0] ?? '';
  return code && !message.includes(code) ? `${message} (${code})` : message;
}
