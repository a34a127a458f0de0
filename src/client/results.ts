import { sleep, type Http } from './http.js';
import { bytesToBlob } from './sources.js';
import type { ContractScene, GenerateResponse, JobStatusResponse, Progress, SceneInfo, SceneStatusName } from './types.js';

/** A finished scene: what the API reports, and its image. */
export interface Scene extends SceneInfo {
  /** The image bytes; waits while the result URL answers 202 (still rendering). Zero bytes when moderated out. */
  bytes(opts?: { signal?: AbortSignal }): Promise<Uint8Array>;
  /** The image as a Blob with its content type. */
  blob(opts?: { signal?: AbortSignal }): Promise<Blob>;
}

/** What `generate()` resolves to once the job is final. */
export interface GenerateResult {
  request_id: string;
  status_url: string;
  status: Progress['status'];
  scenes: Scene[];
}

type ResultEntry = ContractScene & { status?: SceneStatusName; error?: { code: string; message: string }; warnings?: string[] };

/** The contract's result entry flattened; scenes come in template order, so the position is the index. */
export function sceneInfo(entry: ResultEntry, index: number): SceneInfo {
  return {
    key: `scene_${index + 1}`,
    index,
    name: entry.name,
    width: entry.resolution.width,
    height: entry.resolution.height,
    url: entry.url,
    editor_iframe: entry.editor_iframe,
    status: entry.status ?? 'pending',
    ...(entry.error ? { error: entry.error } : {}),
    ...(entry.warnings?.length ? { warnings: entry.warnings } : {}),
  };
}

const FINAL_SCENE = new Set<SceneStatusName>(['done', 'moderated', 'failed', 'cancelled']);

export function toProgress(status: JobStatusResponse): Progress {
  return {
    request_id: status.request_id,
    status: status.status,
    progress: status.progress,
    scenes_done: status.scenes_done,
    scenes_total: status.scenes_total,
    scenes: status.result.map(sceneInfo),
    done: status.status !== 'IN_PROGRESS' && status.result.every((s) => FINAL_SCENE.has(s.status)),
  };
}

export function initialProgress(created: GenerateResponse): Progress {
  return {
    request_id: created.request_id,
    status: created.status ?? 'IN_PROGRESS',
    progress: 0,
    scenes_done: 0,
    scenes_total: created.result.length,
    scenes: created.result.map(sceneInfo),
    done: false,
  };
}

/**
 * GETs a result URL until it answers 200 (202 + Retry-After while the scene
 * renders). A failed or cancelled scene answers its error status, which
 * becomes the typed error (ServerError, UnprocessableError, GoneError…).
 */
export async function fetchResult(http: Http, url: string, signal?: AbortSignal): Promise<{ bytes: Uint8Array; type: string }> {
  for (;;) {
    const res = await http.open({ method: 'GET', path: url, auth: false, idempotent: true, signal, headers: { accept: 'image/*' } });
    if (res.status === 202) {
      await res.body?.cancel().catch(() => undefined);
      const seconds = Number(res.headers.get('retry-after'));
      await sleep(Number.isFinite(seconds) && seconds > 0 ? Math.min(seconds, 30) * 1000 : 1000, signal);
      continue;
    }
    return { bytes: new Uint8Array(await res.arrayBuffer()), type: res.headers.get('content-type') ?? '' };
  }
}

export function withImage(http: Http, info: SceneInfo): Scene {
  return {
    ...info,
    bytes: async (opts) => (await fetchResult(http, info.url, opts?.signal)).bytes,
    blob: async (opts) => {
      const { bytes, type } = await fetchResult(http, info.url, opts?.signal);
      return bytesToBlob(bytes, type);
    },
  };
}
