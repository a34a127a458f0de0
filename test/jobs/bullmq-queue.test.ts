import { BullQueue } from '../../src/jobs/bullmq.js';
import { queueConformance } from './queue-conformance.js';
import { REDIS_URL, requireRedis, uniquePrefix } from './queue-fixtures.js';

queueConformance('bullmq', async () => {
  await requireRedis();
  const prefix = uniquePrefix('bullmq');
  const options = { redisUrl: REDIS_URL, prefix, backoffMs: 50, capRetryMs: 50 };
  return {
    make: (parts) => new BullQueue({ ...parts, ...options }),
    close: () => BullQueue.obliterate(options),
  };
});
