import { LocalQueue } from '../../src/jobs/local.js';
import { queueConformance } from './queue-conformance.js';

queueConformance('local', async () => ({
  make: (parts) => new LocalQueue(parts),
  close: async () => undefined,
}));
