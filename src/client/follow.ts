import { AdsmithError, ConnectionError, TimeoutError } from './errors.js';
import { backoffMs, sleep, type Http } from './http.js';
import { readSse, type SseEvent } from './sse.js';

export interface FollowOptions<T> {
  http: Http;
  /** The Server-Sent Events endpoint (`/v1/jobs/{id}/events`). */
  eventsPath: string;
  /** One event as an update, or null to skip it (keep-alives, unknown events). */
  parse: (event: SseEvent) => T | null;
  /** The current state, asked when the stream ends early or cannot be opened. */
  poll: () => Promise<T>;
  isDone: (update: T) => boolean;
  /** Two updates with the same fingerprint are reported once (a reconnect repeats the current state). */
  fingerprint: (update: T) => string;
  signal?: AbortSignal | undefined;
}

/**
 * Yields a job's (or batch's) updates as they happen, from its event stream.
 * When the stream drops before the end (proxy timeout, restart, network), it
 * asks for the current state and reconnects with backoff, so callers see every
 * state change that matters and always the final one.
 */
export async function* follow<T>(opts: FollowOptions<T>): AsyncGenerator<T> {
  let last = '';
  const fresh = (update: T) => {
    const fp = opts.fingerprint(update);
    if (fp === last) return false;
    last = fp;
    return true;
  };
  for (let attempt = 0; ; attempt++) {
    try {
      // No overall timeout on a stream: it lasts as long as the job. The connect still has one.
      const res = await opts.http.open({ method: 'GET', path: opts.eventsPath, headers: { accept: 'text/event-stream' }, idempotent: true, signal: opts.signal });
      if (res.body) {
        for await (const event of readSse(res.body)) {
          const update = opts.parse(event);
          if (update === null) continue;
          attempt = 0;
          if (fresh(update)) yield update;
          if (opts.isDone(update)) return;
        }
      }
    } catch (err) {
      if (opts.signal?.aborted) throw opts.signal.reason;
      // API errors (404, 401…) are answers, not interruptions.
      if (err instanceof AdsmithError && !(err instanceof ConnectionError || err instanceof TimeoutError)) throw err;
      // A dropped stream or an unreachable server: fall through, poll, reconnect.
    }
    const current = await opts.poll();
    if (fresh(current)) yield current;
    if (opts.isDone(current)) return;
    await sleep(backoffMs(Math.min(attempt, 4)), opts.signal);
  }
}

/** JSON of an event's data, or null when it is not JSON. */
export function eventJson(event: SseEvent): unknown {
  try {
    return JSON.parse(event.data) as unknown;
  } catch {
    return null;
  }
}
