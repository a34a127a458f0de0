import type { RedisClient } from './redis-client.js';

/**
 * Render slots per organisation shared by every worker node: a Redis sorted set per organisation whose
 * members are the scenes holding a slot, scored by when the hold expires. A worker that dies stops renewing
 * its holds, so its slots free themselves after `ttlMs` instead of leaking (a plain counter would keep them).
 * BullMQ's own group limits are a Pro feature; this is the small part of them Adsmith needs.
 */
const ACQUIRE = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
if redis.call('ZSCORE', KEYS[1], ARGV[4]) or redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[3]) then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
  redis.call('PEXPIRE', KEYS[1], ARGV[5])
  return 1
end
return 0`;

const RELEASE = `return redis.call('ZREM', KEYS[1], ARGV[1])`;

export class OrgSlots {
  constructor(
    private readonly redis: RedisClient,
    private readonly keyPrefix: string,
    private readonly ttlMs: number,
  ) {}

  private key(orgId: string): string {
    return `${this.keyPrefix}:org-slots:${orgId}`;
  }

  /** Takes (or renews) a slot of `orgId` for `holder`; false when the organisation already holds `cap`. */
  async acquire(orgId: string, holder: string, cap: number): Promise<boolean> {
    const t = Date.now();
    return (await this.redis.eval(ACQUIRE, 1, this.key(orgId), t, t + this.ttlMs, cap, holder, this.ttlMs * 2)) === 1;
  }

  async release(orgId: string, holder: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, this.key(orgId), holder);
  }

  /** How many slots `orgId` holds now (for tests and metrics). */
  async held(orgId: string): Promise<number> {
    const t = Date.now();
    return Number(await this.redis.eval(`redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1]) return redis.call('ZCARD', KEYS[1])`, 1, this.key(orgId), t));
  }
}
