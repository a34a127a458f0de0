import type { JobRecord, SceneRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import { hmacHex } from '../../common/ids.js';

const EXT: Record<string, string> = { png: 'png', jpeg: 'jpg', webp: 'webp' };

export function resultUrl(ctx: ServerContext, scene: Pick<SceneRecord, 'token' | 'format'>): string {
  return `${ctx.config.publicUrl}/v1/results/${scene.token}.${EXT[scene.format] ?? 'png'}`;
}

export function statusUrl(ctx: ServerContext, jobId: string): string {
  return `${ctx.config.publicUrl}/v1/jobs/${jobId}`;
}

export function editorSignature(key: string, jobId: string, index: number, exp: number): string {
  return hmacHex(key, `editor.${jobId}.${index}.${exp}`);
}

export function editorUrl(ctx: ServerContext, jobId: string, index: number, now = Date.now()): string {
  const exp = Math.floor(now / 1000) + ctx.config.editorLinkTtl;
  return `${ctx.config.publicUrl}/editor/${jobId}/${index + 1}?exp=${exp}&sig=${editorSignature(ctx.editorKey, jobId, index, exp)}`;
}

/** One entry of the contract's generate `result[]`. */
export function contractScene(ctx: ServerContext, job: Pick<JobRecord, 'id'>, s: SceneRecord) {
  return {
    id: `${job.id}-${s.index + 1}`,
    name: s.name,
    url: resultUrl(ctx, s),
    resolution: { width: s.width, height: s.height },
    editor_iframe: editorUrl(ctx, job.id, s.index),
  };
}

/** The generate response: the contract's `result` plus `request_id` and `status_url`. */
export function generateResponse(ctx: ServerContext, job: JobRecord, scenes: SceneRecord[]) {
  return { result: scenes.map((s) => contractScene(ctx, job, s)), request_id: job.id, status_url: statusUrl(ctx, job.id) };
}

export function progressOf(scenes: SceneRecord[]): { done: number; total: number; percent: number } {
  const done = scenes.filter((s) => ['done', 'moderated', 'failed', 'cancelled'].includes(s.status)).length;
  return { done, total: scenes.length, percent: scenes.length ? Math.round((done / scenes.length) * 100) : 100 };
}

/** One scene of GET status_url: the contract's result fields plus its status (and error, moderation, warnings). */
export function sceneStatus(ctx: ServerContext, job: Pick<JobRecord, 'id'>, s: SceneRecord) {
  return {
    ...contractScene(ctx, job, s),
    status: s.status,
    ...(s.status === 'failed' ? { error: { code: s.errorCode, message: s.errorMessage } } : {}),
    ...(s.status === 'moderated' ? { moderated: true } : {}),
    ...(s.warnings.length ? { warnings: s.warnings } : {}),
  };
}

/** GET status_url: status, progress, per-scene results, error. */
export function jobStatus(ctx: ServerContext, job: JobRecord, scenes: SceneRecord[]) {
  const p = progressOf(scenes);
  return {
    request_id: job.id,
    status: job.status,
    progress: p.percent,
    scenes_done: p.done,
    scenes_total: p.total,
    result: scenes.map((s) => sceneStatus(ctx, job, s)),
    error: job.error,
    template_id: job.templateRef.id,
    template_version: job.templateRef.version,
    brand_id: job.brandRef?.id ?? null,
    created_at: job.createdAt,
    updated_at: job.updatedAt,
  };
}

/** The webhook body: job id, status, output (scenes), error, created_at, updated_at. */
export function webhookPayload(ctx: ServerContext, job: JobRecord, scenes: SceneRecord[]) {
  const status = jobStatus(ctx, job, scenes);
  return {
    id: job.id,
    type: `job.${job.status.toLowerCase()}`,
    status: job.status,
    output: { result: status.result },
    error: job.error ?? '',
    created_at: job.createdAt,
    updated_at: job.updatedAt,
  };
}
