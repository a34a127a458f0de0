import { EventEmitter } from 'node:events';
import type { JobEvent, JobEventBus } from './types.js';

export class MemoryEventBus implements JobEventBus {
  private emitter = new EventEmitter();

  constructor() {
    this.emitter.setMaxListeners(0);
  }

  publish(event: JobEvent): void {
    this.emitter.emit(event.jobId, event);
  }

  subscribe(jobId: string, listener: (event: JobEvent) => void): () => void {
    this.emitter.on(jobId, listener);
    return () => this.emitter.off(jobId, listener);
  }
}
