import type { JobRecord, SceneRecord, TaskRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { editorUrl, progressOf, resultUrl } from '../contract/views.js';

/**
 * A job as the hosted-app task protocol shows it. Status numbers are the
 * protocol's (the @inferencesh/sdk `TaskStatus*` constants): the client settles
 * on 10, 11 and 12.
 */
export const TASK_STATUS = { queued: 2, running: 7, completed: 10, failed: 11, cancelled: 12 } as const;
export type TaskStatusName = keyof typeof TASK_STATUS;

/**
 * The protocol's success envelope. The JS SDK unwraps `data` (HttpClient.executeRequest); the Python SDK also
 * insists on `success: true` in a 2xx body, or it raises APIError(200, "Request failed") (Inference._request).
 */
export const envelope = <T>(data: T) => ({ success: true, data, messages: [] as string[] });

/**
 * An error body both SDKs can show: RFC 9457 problem+json (`detail`, which the JS SDK's
 * HttpClient.extractErrorDetail reads first) plus `message`, the field the Python SDK's Inference._request falls
 * back to (it reads `error`, then `message`, and otherwise prints the whole body). Both carry the catalogue text.
 */
export function problemBody(status: number, title: string, code: string, message: string) {
  return { type: 'about:blank', title, status, detail: message, code, message };
}

/** The NDJSON keep-alive line: both SDKs drop a line whose `type` is "heartbeat" (_iter_ndjson; streamableRaw). */
export const HEARTBEAT_LINE = `${JSON.stringify({ type: 'heartbeat' })}\n`;

export function taskStatusName(job: JobRecord, scenes: SceneRecord[]): TaskStatusName {
  switch (job.status) {
    case 'COMPLETED':
      return 'completed';
    case 'ERROR':
      return 'failed';
    case 'CANCELLED':
      return 'cancelled';
    case 'IN_PROGRESS':
      return scenes.some((s) => s.status !== 'pending') ? 'running' : 'queued';
  }
}

/** The app output (contract/inference-app/output_schema.json): the scenes rendered so far, each an image file URL. */
export function taskOutput(ctx: ServerContext, job: JobRecord, scenes: SceneRecord[]) {
  const ready = scenes.filter((s) => s.status === 'done' || s.status === 'moderated');
  if (!ready.length) return null;
  return {
    scenes: ready.map((s) => ({
      id: `${job.id}-${s.index + 1}`,
      name: s.name,
      width: s.width,
      height: s.height,
      image: resultUrl(ctx, s),
      editor_iframe: editorUrl(ctx, job.id, s.index),
      ...(s.status === 'moderated' ? { moderated: true } : {}),
    })),
    output_meta: {
      inputs: [],
      outputs: ready.map((s) => ({ type: 'image', width: s.width, height: s.height, resolution_mp: (s.width * s.height) / 1_000_000, count: 1 })),
    },
  };
}

/** Why a task failed: the job's summary and the first failed scene's cause. */
function taskErrorText(job: JobRecord, scenes: SceneRecord[]): string | undefined {
  if (job.status === 'CANCELLED') return job.error ?? 'Cancelled by request.';
  if (job.status !== 'ERROR') return undefined;
  const first = scenes.find((s) => s.status === 'failed');
  return [job.error, first ? `${first.key}: ${first.errorMessage ?? first.errorCode ?? 'failed'}` : null].filter(Boolean).join(' ');
}

/** The app input the task was started with, as the job keeps it. */
function taskInput(job: JobRecord): Record<string, unknown> {
  const r = job.request as Record<string, unknown>;
  const keys = ['template_id', 'brand_id', 'smart_image', 'elements', 'content_moderation', 'output_format', 'scale', 'max_kb'];
  return Object.fromEntries(keys.filter((k) => r[k] !== undefined).map((k) => [k, r[k]]));
}

/** GET /tasks/{id}: the protocol's task DTO (the fields its clients read). */
export function taskView(ctx: ServerContext, job: JobRecord, scenes: SceneRecord[], task: TaskRecord) {
  const status = taskStatusName(job, scenes);
  const error = taskErrorText(job, scenes);
  const progress = progressOf(scenes);
  return {
    id: job.id,
    short_id: job.id.slice(-8),
    status: TASK_STATUS[status],
    status_text: status,
    app: task.app,
    app_id: task.app,
    function: 'run',
    input: taskInput(job),
    output: taskOutput(ctx, job, scenes),
    ...(error !== undefined ? { error } : {}),
    progress: progress.percent,
    scenes_done: progress.done,
    scenes_total: progress.total,
    webhook: task.webhookUrl ?? undefined,
    session_id: null,
    logs: [],
    events: [],
    created_at: job.createdAt,
    updated_at: lastUpdate(job, scenes),
  };
}

/** The newest change of the job or one of its scenes. */
function lastUpdate(job: JobRecord, scenes: SceneRecord[]): string {
  return scenes.reduce((latest, s) => (s.updatedAt > latest ? s.updatedAt : latest), job.updatedAt);
}

/** The body POSTed to the task's webhook on its terminal state (the hosted app's webhook payload). */
export function taskWebhookPayload(ctx: ServerContext, job: JobRecord, scenes: SceneRecord[]) {
  return {
    id: job.id,
    status: TASK_STATUS[taskStatusName(job, scenes)],
    output: taskOutput(ctx, job, scenes),
    error: taskErrorText(job, scenes) ?? '',
    session_id: null,
    created_at: job.createdAt,
    updated_at: lastUpdate(job, scenes),
  };
}
