import { parentPort, workerData } from 'node:worker_threads';
import { openBlobStore } from '../blob/descriptor.js';
import { isAdsmithError } from '../errors/catalogue.js';
import { Renderer } from '../node/render.js';
import type { RenderRequest } from '../node/types.js';
import { fileBlobKey, inputBlobKey } from '../blob/keys.js';
import { sha256Hex } from '../common/ids.js';
import { smartImageConfigFromEnv } from '../smart-image/index.js';
import { makeFetcher, readImageSource, sourceGuard } from './fetcher.js';
import type { RenderReply, RenderTask, ThreadMessage, WorkerSettings } from './protocol.js';
import { storeResult } from './results.js';
import { SmartFrames } from './smart-frames.js';
import { smartImageService } from './smart-image-stage.js';
import { lowerThisThreadPriority } from './thread.js';

/** A worker thread: one Renderer (it caches fonts and decoded images), drawing one scene at a time. */
const settings = workerData as WorkerSettings;
lowerThisThreadPriority(settings.niceness ?? 10);
// Messages sent meanwhile wait in the port: its listener is attached at the end of this module.
const blob = await openBlobStore(settings.blob);
// The task being drawn (one at a time, see below): the job whose saved inputs the fetcher may use, and the uploaded files it may read.
let currentJobId: string | null = null;
let currentFiles = new Set<string>();
const fetchRemote = makeFetcher({
  publicUrl: settings.publicUrl,
  allowPrivateUrls: settings.allowPrivateUrls,
  blob,
  fileKey: fileBlobKey,
  mayRead: (id) => currentFiles.has(id),
  inputKey: (url) => (currentJobId && /^https?:/i.test(url) ? inputBlobKey(currentJobId, sha256Hex(url)) : null),
});

// Constructed lazily so that a thread costs nothing until it renders.
let renderer: Renderer | null = null;
function getRenderer(): Renderer {
  renderer ??= new Renderer({ fetchRemote, allowFilePaths: false, ...(settings.textRenderer ? { textRenderer: settings.textRenderer } : {}), authorize: sourceGuard({ publicUrl: settings.publicUrl, blob, fileKey: fileBlobKey, mayRead: (id) => currentFiles.has(id) }) });
  return renderer;
}
let frames: SmartFrames | null = null;
function getFrames(): SmartFrames {
  // Frames only: this service never loads the cut-out model (the models thread made the cut-out).
  frames ??= new SmartFrames(smartImageService(settings.smartImage ?? smartImageConfigFromEnv({})), blob, (src) => readImageSource(src, fetchRemote));
  return frames;
}

type Rendered = { reply: Extract<RenderReply, { type: 'error' }> } | { scene: Awaited<ReturnType<Renderer['renderScene']>>; warnings: string[] };

/** Draws a task's scene. Only one runs at a time on this thread: the fetcher's job and files are this task's. */
async function render(task: RenderTask): Promise<Rendered> {
  currentJobId = task.jobId;
  currentFiles = new Set(task.files);
  let frameSources: string[] = [];
  try {
    const smart = task.smartImage ? await getFrames().forScene(task.template, task.sceneIndex, task.output.scale ?? 1, task.elements, task.smartImage) : null;
    frameSources = smart?.sources ?? [];
    const req: RenderRequest = { template: smart?.template ?? task.template, brand: task.brand, elements: smart ? [...task.elements, ...smart.elements] : task.elements, output: task.output };
    const scene = await getRenderer().renderScene(req, task.sceneIndex);
    return { scene, warnings: [...(smart?.warnings ?? []), ...scene.warnings] };
  } catch (err) {
    if (isAdsmithError(err)) return { reply: { type: 'error', taskId: task.taskId, code: err.code, status: err.status, message: err.message } };
    const message = err instanceof Error ? err.message : String(err);
    return { reply: { type: 'error', taskId: task.taskId, code: 'ADS_RENDER_FAILED', status: 500, message: `Rendering failed: ${message}` } };
  } finally {
    // Frames are per request: drop their decoded canvases (several MB each) from the renderer's cache.
    for (const src of frameSources) renderer?.images.forget(src);
  }
}

/** The reply to a drawn task, its result stored here (off the main thread) when the task asks for it. */
async function finish(task: RenderTask, rendered: Rendered): Promise<RenderReply> {
  if ('reply' in rendered) return rendered.reply;
  const { scene, warnings } = rendered;
  // Should the write fail, the bytes go back and the queue stores them (and reports).
  const stored = task.storeResult && !task.contentModeration ? await storeResult(blob, task.jobId, task.sceneIndex, scene.bytes, scene.mimeType).catch(() => undefined) : undefined;
  return {
    type: 'done',
    taskId: task.taskId,
    bytes: stored ? new Uint8Array(0) : scene.bytes,
    mimeType: scene.mimeType,
    width: scene.width,
    height: scene.height,
    warnings,
    // Output moderation happens on the models thread once the bytes are back (src/jobs/scene-runner.ts).
    moderated: false,
    ...(stored ? { stored } : {}),
    timings: scene.timings,
  };
}

/**
 * The pool hands a thread its next task before the current one is done (src/jobs/pool.ts), so tasks wait here:
 * drawn one at a time in the order they came, each announced `started` as it begins. Storing a drawn result
 * (a file or an S3 PUT: mostly waiting) overlaps the drawing of the next one.
 */
let drawing: Promise<unknown> = Promise.resolve();
parentPort?.on('message', (task: RenderTask) => {
  const rendered = drawing.then(() => {
    parentPort?.postMessage({ type: 'started', taskId: task.taskId } satisfies ThreadMessage);
    return render(task);
  });
  drawing = rendered.catch(() => undefined);
  void rendered
    .then((r) => finish(task, r))
    .catch((err: unknown): RenderReply => ({ type: 'error', taskId: task.taskId, code: 'ADS_RENDER_FAILED', status: 500, message: `Rendering failed: ${err instanceof Error ? err.message : String(err)}` }))
    .then((reply) => {
      const transfer = reply.type === 'done' && reply.bytes.byteOffset === 0 && reply.bytes.byteLength === reply.bytes.buffer.byteLength ? [reply.bytes.buffer as ArrayBuffer] : [];
      parentPort?.postMessage(reply, transfer);
    });
});
