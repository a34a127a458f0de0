import { parentPort, workerData } from 'node:worker_threads';
import { openBlobStore } from '../blob/descriptor.js';
import { isAdsmithError } from '../errors/catalogue.js';
import { Renderer } from '../node/render.js';
import type { RenderRequest } from '../node/types.js';
import { fileBlobKey, inputBlobKey } from '../blob/keys.js';
import { sha256Hex } from '../common/ids.js';
import { smartImageConfigFromEnv } from '../smart-image/index.js';
import { makeFetcher, readImageSource, sourceGuard } from './fetcher.js';
import type { RenderReply, RenderTask, WorkerSettings } from './protocol.js';
import { storeResult } from './results.js';
import { SmartFrames } from './smart-frames.js';
import { smartImageService } from './smart-image-stage.js';
import { lowerThisThreadPriority } from './thread.js';

/** A worker thread: one Renderer (it caches fonts and decoded images), one scene at a time. */
const settings = workerData as WorkerSettings;
lowerThisThreadPriority(settings.niceness ?? 10);
// Messages sent meanwhile wait in the port: its listener is attached at the end of this module.
const blob = await openBlobStore(settings.blob);
// One task at a time per thread: the job whose saved inputs the fetcher may use, and the uploaded files it may read.
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

async function handle(task: RenderTask): Promise<RenderReply> {
  currentJobId = task.jobId;
  currentFiles = new Set(task.files);
  let frameSources: string[] = [];
  try {
    const smart = task.smartImage ? await getFrames().forScene(task.template, task.sceneIndex, task.output.scale ?? 1, task.elements, task.smartImage) : null;
    frameSources = smart?.sources ?? [];
    const req: RenderRequest = { template: smart?.template ?? task.template, brand: task.brand, elements: smart ? [...task.elements, ...smart.elements] : task.elements, output: task.output };
    const scene = await getRenderer().renderScene(req, task.sceneIndex);
    // Stored here, off the main thread; should the write fail, the bytes go back and the queue stores them (and reports).
    const stored = task.storeResult && !task.contentModeration ? await storeResult(blob, task.jobId, task.sceneIndex, scene.bytes, scene.mimeType).catch(() => undefined) : undefined;
    return {
      type: 'done',
      taskId: task.taskId,
      bytes: stored ? new Uint8Array(0) : scene.bytes,
      mimeType: scene.mimeType,
      width: scene.width,
      height: scene.height,
      warnings: [...(smart?.warnings ?? []), ...scene.warnings],
      // Output moderation happens on the models thread once the bytes are back (src/jobs/local.ts).
      moderated: false,
      ...(stored ? { stored } : {}),
      timings: scene.timings,
    };
  } catch (err) {
    if (isAdsmithError(err)) return { type: 'error', taskId: task.taskId, code: err.code, status: err.status, message: err.message };
    const message = err instanceof Error ? err.message : String(err);
    return { type: 'error', taskId: task.taskId, code: 'ADS_RENDER_FAILED', status: 500, message: `Rendering failed: ${message}` };
  } finally {
    // Frames are per request: drop their decoded canvases (several MB each) from the renderer's cache.
    for (const src of frameSources) renderer?.images.forget(src);
  }
}

parentPort?.on('message', (task: RenderTask) => {
  void handle(task).then((reply) => {
    const transfer = reply.type === 'done' && reply.bytes.byteOffset === 0 && reply.bytes.byteLength === reply.bytes.buffer.byteLength ? [reply.bytes.buffer as ArrayBuffer] : [];
    parentPort?.postMessage(reply, transfer);
  });
});
