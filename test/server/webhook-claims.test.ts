import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebhookDispatcher } from '../../src/server/jobs/webhooks.js';
import { redisDeliveryClaims, type DeliveryClaims } from '../../src/server/jobs/webhook-claims.js';
import { BullQueue } from '../../src/jobs/bullmq.js';
import { addJob, addOrg, openStores, REDIS_URL, requireRedis, sleep, uniquePrefix } from '../jobs/queue-fixtures.js';
import { startReceiver } from './receiver.js';

/**
 * Two API nodes' webhook dispatchers polling one store at the same moment: without claims both POST a due
 * delivery; with Redis claims exactly one does, and a failed attempt is retried (by either) once.
 */
const prefix = uniquePrefix('hooks');
let stores: Awaited<ReturnType<typeof openStores>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
const claims: DeliveryClaims[] = [];

beforeAll(async () => {
  await requireRedis();
  stores = await openStores();
  await addOrg(stores.store, 'org_hooks');
  receiver = await startReceiver(204);
});

afterAll(async () => {
  for (const c of claims) await c.close();
  await BullQueue.obliterate({ redisUrl: REDIS_URL, prefix }).catch(() => undefined);
  receiver?.close();
  await stores?.close();
});

/** A job with a delivery due now; returns the job id (the delivery is msg_<job id>). */
async function due(): Promise<string> {
  const job = await addJob(stores.store, 'org_hooks', 1, 'x');
  await stores.store.addDelivery({ id: `msg_${job.id}`, orgId: 'org_hooks', jobId: job.id, url: receiver.url(), payload: JSON.stringify({ job: job.id }), nextAttemptAt: Date.now() });
  return job.id;
}

function dispatcher(claim?: DeliveryClaims): WebhookDispatcher {
  return new WebhookDispatcher({ store: stores.store, backoff: [0.05], timeoutMs: 2000, allowPrivateUrls: true, ...(claim ? { claim: claim.claim } : {}) });
}

describe('webhook delivery claims across nodes', () => {
  it('without claims two nodes ticking together both send one delivery (the race the claims close)', async () => {
    const before = receiver.received.length;
    await due();
    await Promise.all([dispatcher().tick(), dispatcher().tick()]);
    await sleep(500);
    expect(receiver.received.length - before).toBe(2);
  });

  it('with Redis claims exactly one of two nodes sends each delivery', async () => {
    for (let i = 0; i < 2; i++) claims.push(await redisDeliveryClaims({ url: REDIS_URL, prefix, ttlMs: 10_000, node: `node${i}` }));
    const [a, b] = [dispatcher(claims[0]), dispatcher(claims[1])];
    const before = receiver.received.length;
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) ids.push(await due());
    for (let round = 0; round < 3; round++) {
      await Promise.all([a.tick(), b.tick()]);
      await sleep(200);
    }
    const got = receiver.received.slice(before).map((r) => (JSON.parse(r.body) as { job: string }).job);
    expect(got.sort()).toEqual(ids.sort());
    for (const id of ids) expect((await stores.store.getDelivery(`msg_${id}`))?.status).toBe('delivered');
  });

  it('a claim is per attempt: the next attempt of a delivery can be claimed again', async () => {
    const [one, two] = claims as [DeliveryClaims, DeliveryClaims];
    const id = await due();
    const d = (await stores.store.getDelivery(`msg_${id}`))!;
    expect(await one.claim(d)).toBe(true);
    expect(await two.claim(d)).toBe(false);
    expect(await two.claim({ ...d, attempts: d.attempts + 1 })).toBe(true);
  });

  it("a job's missing delivery is recorded by one of the API nodes starting together", async () => {
    const [one, two] = claims as [DeliveryClaims, DeliveryClaims];
    const results = await Promise.all([one.claimMissing('job_x'), two.claimMissing('job_x')]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });
});
