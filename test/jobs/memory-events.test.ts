import { MemoryEventBus } from '../../src/jobs/events.js';
import { eventBusConformance } from './event-bus-conformance.js';

eventBusConformance('in-process', async () => {
  // One process: every "node" of the deployment is the same bus.
  const bus = new MemoryEventBus();
  return { node: async () => bus, close: async () => undefined };
});
