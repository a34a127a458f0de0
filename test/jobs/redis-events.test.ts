import { RedisEventBus } from '../../src/jobs/redis-events.js';
import { eventBusConformance } from './event-bus-conformance.js';
import { REDIS_URL, requireRedis, uniquePrefix } from './queue-fixtures.js';

eventBusConformance('redis', async () => {
  await requireRedis();
  // Pub/sub keeps no keys: closing every node's connections is the whole clean-up.
  const prefix = uniquePrefix('events');
  const nodes: RedisEventBus[] = [];
  return {
    node: async () => {
      const bus = await RedisEventBus.connect(REDIS_URL, prefix);
      nodes.push(bus);
      return bus;
    },
    close: async () => {
      await Promise.all(nodes.map((n) => n.close()));
    },
  };
});
