import type { JobRecord } from '../storage/types.js';
import type { JobEventBus } from './types.js';

/**
 * A queue's "this job became final" announcements: the `final` event on the bus (SSE, `sync: true`) and the
 * queue's onFinal listeners (the one "job finished" subscriber of the server). Every queue adapter announces
 * through one of these, so a listener that throws never stops the others and the event always goes out.
 */
export class FinalJobs {
  private listeners: Array<(job: JobRecord) => void> = [];

  constructor(
    private readonly events: JobEventBus,
    private readonly log?: (msg: string, extra?: object) => void,
  ) {}

  add(listener: (job: JobRecord) => void): void {
    this.listeners.push(listener);
  }

  emit(job: JobRecord): void {
    this.events.publish({ jobId: job.id, type: 'final' });
    for (const l of this.listeners) {
      try {
        l(job);
      } catch (err) {
        this.log?.('final listener failed', { err: String(err) });
      }
    }
  }
}
