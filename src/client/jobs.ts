import { AdsmithError, RenderError } from './errors.js';
import { eventJson, follow } from './follow.js';
import type { Http } from './http.js';
import { fetchResult, initialProgress, toProgress, withImage, type GenerateResult } from './results.js';
import type { GenerateResponse, JobStatusName, JobStatusResponse, Progress } from './types.js';

export interface WaitOptions {
  onProgress?: (progress: Progress) => void;
  signal?: AbortSignal;
}

const fingerprint = (p: Progress) => `${p.status}|${p.scenes.map((s) => s.status).join(',')}`;

/** Jobs by id: status, progress updates, cancel. */
export class Jobs {
  constructor(private readonly http: Http) {}

  /** `GET /v1/jobs/{id}`: status, progress, per-scene results. */
  get(id: string, opts: { signal?: AbortSignal } = {}): Promise<JobStatusResponse> {
    return this.http.json({ method: 'GET', path: `/v1/jobs/${encodeURIComponent(id)}`, idempotent: true, signal: opts.signal });
  }

  /** Recent jobs of the organisation. */
  list(): Promise<Array<{ request_id: string; status: JobStatusName; template_id: string; created_at: string; updated_at: string }>> {
    return this.http.json({ method: 'GET', path: '/v1/jobs', idempotent: true });
  }

  /** Cancels the scenes not yet rendered; a finished job is a ConflictError (409). */
  cancel(id: string): Promise<JobStatusResponse> {
    return this.http.json({ method: 'POST', path: `/v1/jobs/${encodeURIComponent(id)}/cancel`, idempotent: true });
  }

  /** Progress updates as they happen (Server-Sent Events, with polling as the fallback), ending with the final state. */
  updates(id: string, opts: { signal?: AbortSignal } = {}): AsyncGenerator<Progress> {
    return follow<Progress>({
      http: this.http,
      eventsPath: `/v1/jobs/${encodeURIComponent(id)}/events`,
      parse: (event) => {
        const data = eventJson(event) as JobStatusResponse | null;
        return data && Array.isArray(data.result) ? toProgress(data) : null;
      },
      poll: async () => toProgress(await this.get(id, opts)),
      isDone: (p) => p.done,
      fingerprint,
      signal: opts.signal,
    });
  }

  /** A handle on a job accepted earlier (e.g. after `generate(…, { wait: false })` in another process). */
  async handle(id: string): Promise<Job> {
    const status = await this.get(id);
    return new Job(this.http, this, { request_id: status.request_id, status_url: `${this.http.opts.baseUrl}/v1/jobs/${status.request_id}`, result: status.result, status: status.status });
  }
}

/** An accepted generation: its id, scene URLs (rendering in the background), and ways to follow it. */
export class Job {
  readonly id: string;
  readonly statusUrl: string;
  /** The scenes as accepted: URLs and sizes are known at once; each URL answers 202 until rendered. */
  readonly initial: Progress;

  constructor(
    private readonly http: Http,
    private readonly jobs: Jobs,
    created: GenerateResponse,
  ) {
    this.id = created.request_id;
    this.statusUrl = created.status_url;
    this.initial = initialProgress(created);
  }

  status(opts: { signal?: AbortSignal } = {}): Promise<Progress> {
    return this.jobs.get(this.id, opts).then(toProgress);
  }

  updates(opts: { signal?: AbortSignal } = {}): AsyncGenerator<Progress> {
    return this.jobs.updates(this.id, opts);
  }

  cancel(): Promise<Progress> {
    return this.jobs.cancel(this.id).then(toProgress);
  }

  /**
   * Resolves once the job is final, with every scene and a way to get its image.
   * A job whose scenes all failed or that was cancelled rejects with RenderError
   * (the first scene error's code and message). Aborting the signal stops waiting
   * (the job goes on; call cancel() to stop it).
   */
  async wait(opts: WaitOptions = {}): Promise<GenerateResult> {
    let final: Progress | null = null;
    for await (const p of this.updates(opts.signal ? { signal: opts.signal } : {})) {
      opts.onProgress?.(p);
      if (p.done) final = p;
    }
    if (!final) throw new RenderError({ status: 0, code: 'ADS_JOB_LOST', message: `Job ${this.id} stopped reporting before it finished; poll ${this.statusUrl}.` });
    const ok = final.scenes.filter((s) => s.status === 'done' || s.status === 'moderated');
    if (ok.length === 0) {
      const failed = final.scenes.find((s) => s.error);
      const cancelled = final.status === 'CANCELLED';
      throw new RenderError({
        status: cancelled ? 410 : failed ? await this.failureStatus(failed.url) : 500,
        code: cancelled ? 'ADS_JOB_CANCELLED' : (failed?.error?.code ?? 'ADS_RENDER_FAILED'),
        message: cancelled ? `Job ${this.id} was cancelled before any scene was rendered.` : `Job ${this.id} failed: ${failed ? `${failed.key} (${failed.name}): ${failed.error?.message}` : 'no scene was rendered.'}`,
        ...(failed ? { scene: failed.key } : {}),
        body: final,
      });
    }
    return { request_id: this.id, status_url: this.statusUrl, status: final.status, scenes: final.scenes.map((s) => withImage(this.http, s)) };
  }

  /** A failed scene's result URL answers the cause's status (422 for an input the engine could not use, 500 for a crash): the job's error takes it. */
  private async failureStatus(url: string): Promise<number> {
    try {
      await fetchResult(this.http, url);
      return 500;
    } catch (err) {
      return err instanceof AdsmithError && err.status > 0 ? err.status : 500;
    }
  }
}
