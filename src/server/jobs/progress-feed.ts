import type { ServerResponse } from 'node:http';
import type { JobEventBus } from '../../jobs/types.js';

export interface FeedOptions {
  events: JobEventBus;
  /** Event-bus keys whose events make the feed look again (job ids, a batch id). */
  keys: string[];
  contentType: string;
  /** Written every 15 s so proxies keep the connection open. */
  keepAlive: string;
  /**
   * Reads the current state and returns what to write (null: nothing new) and whether the feed is over. Called
   * once at the start, after events (coalesced), and on a slow poll that catches changes no event announced.
   */
  next: () => Promise<{ chunk: string | null; done: boolean }>;
  pollMs?: number;
  coalesceMs?: number;
}

/**
 * A long-lived progress response (Server-Sent Events or NDJSON) on a hijacked
 * reply: writes what `next` returns until it says done, then ends. Events that
 * arrive close together are answered with one read.
 */
export function openFeed(res: ServerResponse, opts: FeedOptions): void {
  res.writeHead(200, { 'content-type': opts.contentType, 'cache-control': 'no-store', connection: 'keep-alive', 'x-accel-buffering': 'no' });
  let closed = false;
  let scheduled: NodeJS.Timeout | null = null;
  let reading = Promise.resolve();

  const stop = (end: boolean) => {
    if (closed) return;
    closed = true;
    for (const u of unsubscribers) u();
    clearInterval(poll);
    clearInterval(keepAlive);
    if (scheduled) clearTimeout(scheduled);
    if (end) res.end();
  };
  const flush = () => {
    scheduled = null;
    reading = reading
      .then(async () => {
        if (closed) return;
        const { chunk, done } = await opts.next();
        if (closed) return;
        if (chunk) res.write(chunk);
        if (done) stop(true);
      })
      .catch(() => stop(true));
  };
  const schedule = () => {
    if (!closed && !scheduled) scheduled = setTimeout(flush, opts.coalesceMs ?? 100);
  };
  const unsubscribers = opts.keys.map((key) => opts.events.subscribe(key, schedule));
  const poll = setInterval(schedule, opts.pollMs ?? 1000);
  const keepAlive = setInterval(() => !closed && res.write(opts.keepAlive), 15_000);
  res.on('close', () => stop(false));
  flush();
}
