import { signal } from '@preact/signals';
import type { Adsmith, GenerateInput, Progress, SceneInfo } from './api.js';
import { reportError } from './catalog.js';

/** One generation as the page shows it. */
export interface Run {
  phase: 'uploading' | 'rendering' | 'done' | 'failed';
  requestId: string | null;
  scenes: SceneInfo[];
  scenesDone: number;
  scenesTotal: number;
  error: string | null;
  startedAt: number;
  finishedAt: number | null;
}

export const run = signal<Run | null>(null);
let controller: AbortController | null = null;

/**
 * Sends the request through adsmith/client's stream(): it uploads the photo
 * (POST /v1/files), accepts the job, then follows its Server-Sent Events, so
 * each scene shows up as soon as it is rendered.
 */
export async function generate(client: Adsmith, input: GenerateInput, hasUpload: boolean): Promise<void> {
  controller?.abort();
  const mine = new AbortController();
  controller = mine;
  const startedAt = performance.now();
  run.value = { phase: hasUpload ? 'uploading' : 'rendering', requestId: null, scenes: [], scenesDone: 0, scenesTotal: 0, error: null, startedAt, finishedAt: null };
  const update = (p: Progress) => {
    if (controller !== mine) return;
    const failed = p.done && p.status !== 'COMPLETED';
    const firstError = p.scenes.find((s) => s.error)?.error?.message;
    run.value = {
      phase: p.done ? (failed ? 'failed' : 'done') : 'rendering',
      requestId: p.request_id,
      scenes: p.scenes,
      scenesDone: p.scenes_done,
      scenesTotal: p.scenes_total,
      error: !failed
        ? null
        : p.status === 'CANCELLED'
          ? `Cancelled: ${p.scenes.filter((s) => s.status === 'done').length} of ${p.scenes_total} scenes were rendered before it stopped.`
          : `The job failed${firstError ? `: ${firstError}` : '.'}`,
      startedAt,
      finishedAt: p.done ? performance.now() : null,
    };
  };
  try {
    for await (const p of client.stream(input, { signal: mine.signal })) update(p);
  } catch (err) {
    if (mine.signal.aborted) return;
    const message = reportError(err, 'The request was refused');
    run.value = { ...(run.value as Run), phase: 'failed', error: message || 'The token was refused.', finishedAt: performance.now() };
  }
}

/** Cancels the scenes not rendered yet; the job's events then report it cancelled. */
export async function cancelRun(client: Adsmith): Promise<void> {
  const id = run.value?.requestId;
  if (!id) return;
  try {
    await client.jobs.cancel(id);
  } catch (err) {
    // A job that finished meanwhile cannot be cancelled (409): its last event says so already.
    if ((err as { status?: number }).status !== 409) run.value = { ...(run.value as Run), error: reportError(err, 'Could not cancel') };
  }
}

/** Stops following the current job (a new generate replaces it). */
export function stopFollowing(): void {
  controller?.abort();
  controller = null;
}
