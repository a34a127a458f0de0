/**
 * Per-organisation requests-per-minute, a fixed one-minute window kept in
 * memory. Fine for one API process; a scale-out deployment swaps in a Redis
 * counter behind the same `take` call.
 */
export interface RateLimiter {
  /** Takes one request; returns 0 when allowed, else the seconds until the window resets. */
  take(key: string, perMinute: number, now?: number): number;
}

export class MemoryRateLimiter implements RateLimiter {
  private windows = new Map<string, { start: number; count: number }>();

  take(key: string, perMinute: number, now = Date.now()): number {
    const minute = Math.floor(now / 60_000) * 60_000;
    let w = this.windows.get(key);
    if (!w || w.start !== minute) {
      w = { start: minute, count: 0 };
      this.windows.set(key, w);
      if (this.windows.size > 10_000) for (const [k, v] of this.windows) if (v.start !== minute) this.windows.delete(k);
    }
    if (w.count >= perMinute) return Math.max(1, Math.ceil((minute + 60_000 - now) / 1000));
    w.count++;
    return 0;
  }
}
