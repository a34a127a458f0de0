import { connectRedis, type RedisClient } from '../../jobs/redis-client.js';
import type { WebhookDelivery } from '../../storage/types.js';

/**
 * Which node sends a due webhook delivery, when several poll the same store (API nodes of a scaled-out
 * deployment). Each attempt of a delivery is claimed once in Redis (`SET NX` with an expiry): the node that gets
 * the claim sends, the others skip it. The claim expires after `ttlMs`, so an attempt whose sender died is sent
 * again by another node (at least once, as before), never by two nodes at the same time.
 */
export interface DeliveryClaims {
  /** True for the one caller that may send this attempt of `d`. */
  claim(d: WebhookDelivery): Promise<boolean>;
  /** True for the one caller that may record the delivery a job is missing (API nodes starting together). */
  claimMissing(jobId: string): Promise<boolean>;
  close(): Promise<void>;
}

/** Sets the key only when it is absent, with an expiry; 1 when this call set it. */
const CLAIM_SCRIPT = `if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return 1 else return 0 end`;

export async function redisDeliveryClaims(opts: { url: string; prefix: string; ttlMs: number; node: string }): Promise<DeliveryClaims> {
  const redis: RedisClient = await connectRedis(opts.url, { name: `${opts.prefix}:webhook-claims` });
  const once = async (key: string) => (await redis.eval(CLAIM_SCRIPT, 1, `${opts.prefix}:${key}`, opts.node, opts.ttlMs)) === 1;
  return {
    claim: (d) => once(`webhook-claim:${d.id}:${d.attempts}`),
    claimMissing: (jobId) => once(`webhook-missing:${jobId}`),
    close: async () => {
      await redis.quit().catch(() => undefined);
    },
  };
}
