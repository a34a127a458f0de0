import { afterEach, describe, expect, it } from 'vitest';
import type { JobEvent, JobEventBus } from '../../src/jobs/types.js';
import { sleep, until } from './queue-fixtures.js';

/** A deployment of an event bus: `node()` is the bus of one more process of it (in-process: the same bus). */
export interface BusDeployment {
  node(): Promise<JobEventBus>;
  close(): Promise<void>;
}

const scene = (jobId: string, index: number): JobEvent => ({ jobId, type: 'scene', index, status: 'done' });

/** One suite for every JobEventBus (in-process, Redis): what SSE progress and `sync: true` rely on. */
export function eventBusConformance(name: string, open: () => Promise<BusDeployment>): void {
  describe(`JobEventBus conformance: ${name}`, () => {
    let deployments: BusDeployment[] = [];
    afterEach(async () => {
      for (const d of deployments) await d.close();
      deployments = [];
    });
    const deploy = async () => {
      const d = await open();
      deployments.push(d);
      return d;
    };

    it("a subscriber hears its own job's events, in order, during publish on the same node; not other jobs'", async () => {
      const bus = await (await deploy()).node();
      const heard: JobEvent[] = [];
      bus.subscribe('job_a', (e) => heard.push(e));
      bus.publish(scene('job_a', 0));
      bus.publish(scene('job_b', 0));
      bus.publish({ jobId: 'job_a', type: 'final' });
      // In the call, as the in-process bus does: a reader subscribing, then reading the store, misses nothing.
      expect(heard).toEqual([scene('job_a', 0), { jobId: 'job_a', type: 'final' }]);
      await sleep(200);
      expect(heard).toHaveLength(2); // nothing heard twice
    });

    it('unsubscribing stops that listener only', async () => {
      const bus = await (await deploy()).node();
      const first: JobEvent[] = [];
      const second: JobEvent[] = [];
      const stop = bus.subscribe('job_a', (e) => first.push(e));
      bus.subscribe('job_a', (e) => second.push(e));
      bus.publish(scene('job_a', 0));
      stop();
      bus.publish(scene('job_a', 1));
      expect(first).toEqual([scene('job_a', 0)]);
      expect(second).toEqual([scene('job_a', 0), scene('job_a', 1)]);
    });

    it("another node's events reach this node's subscribers, in order, each once", async () => {
      const d = await deploy();
      const api = await d.node();
      const worker = await d.node();
      const heard: JobEvent[] = [];
      api.subscribe('job_x', (e) => heard.push(e));
      const sent = Array.from({ length: 50 }, (_, i) => scene('job_x', i));
      for (const e of sent) worker.publish(e);
      worker.publish({ jobId: 'job_x', type: 'final' });
      await until('every event to arrive', () => heard.length >= 51, 5000);
      await sleep(200);
      expect(heard).toEqual([...sent, { jobId: 'job_x', type: 'final' }]);
    });

    it('another deployment hears nothing of this one', async () => {
      const mine = await (await deploy()).node();
      const theirs = await (await deploy()).node();
      const heard: JobEvent[] = [];
      theirs.subscribe('job_a', (e) => heard.push(e));
      mine.publish(scene('job_a', 0));
      await sleep(300);
      expect(heard).toEqual([]);
    });
  });
}
