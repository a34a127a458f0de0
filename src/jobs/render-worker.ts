import fs from 'node:fs';
import os from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { FsBlobStore } from '../blob/fs.js';
import { isAdsmithError } from '../errors/catalogue.js';
import { Renderer } from '../node/render.js';
import type { RenderRequest } from '../node/types.js';
import { fileBlobKey, inputBlobKey } from '../blob/keys.js';
import { sha256Hex } from '../server/ids.js';
import { makeFetcher } from './fetcher.js';
import type { RenderReply, RenderTask, WorkerSettings } from './protocol.js';
import { applySmartImageSeam, notYetModerated } from './seams.js';

/** A worker thread: one Renderer (it caches fonts and decoded images), one scene at a time. */
const settings = workerData as WorkerSettings;

// Render threads run at a lower CPU priority than the event loop (Linux: setpriority on this thread's id), so
// that /healthz, result URLs and new requests stay quick while every core renders.
try {
  const tid = Number(fs.readlinkSync('/proc/thread-self').split('/').pop());
  if (Number.isInteger(tid) && tid > 0) os.setPriority(tid, settings.niceness ?? 10);
} catch {
  // not Linux, or not permitted: render at normal priority
}
const blob = new FsBlobStore(settings.blob.root);
// One task at a time per thread: the job whose saved inputs the fetcher may use.
let currentJobId: string | null = null;
const fetchRemote = makeFetcher({
  publicUrl: settings.publicUrl,
  allowPrivateUrls: settings.allowPrivateUrls,
  blob,
  fileKey: fileBlobKey,
  inputKey: (url) => (currentJobId && /^https?:/i.test(url) ? inputBlobKey(currentJobId, sha256Hex(url)) : null),
});

// Constructed lazily so that a thread costs nothing until it renders.
let renderer: Renderer | null = null;
function getRenderer(): Renderer {
  renderer ??= new Renderer({ fetchRemote, allowFilePaths: false });
  return renderer;
}

async function handle(task: RenderTask): Promise<RenderReply> {
  currentJobId = task.jobId;
  try {
    const smart = applySmartImageSeam(task.template, task.elements, task.smartImage);
    const req: RenderRequest = { template: task.template, brand: task.brand, elements: smart.elements, output: task.output };
    const scene = await getRenderer().renderScene(req, task.sceneIndex);
    const verdict = task.contentModeration ? await notYetModerated(scene.bytes, scene.mimeType) : { checked: false, flagged: false };
    return {
      type: 'done',
      taskId: task.taskId,
      bytes: scene.bytes,
      mimeType: scene.mimeType,
      width: scene.width,
      height: scene.height,
      warnings: [...smart.warnings, ...scene.warnings],
      moderated: verdict.flagged,
    };
  } catch (err) {
    if (isAdsmithError(err)) return { type: 'error', taskId: task.taskId, code: err.code, status: err.status, message: err.message };
    const message = err instanceof Error ? err.message : String(err);
    return { type: 'error', taskId: task.taskId, code: 'ADS_RENDER_FAILED', status: 500, message: `Rendering failed: ${message}` };
  }
}

parentPort?.on('message', (task: RenderTask) => {
  void handle(task).then((reply) => {
    const transfer = reply.type === 'done' && reply.bytes.byteOffset === 0 && reply.bytes.byteLength === reply.bytes.buffer.byteLength ? [reply.bytes.buffer as ArrayBuffer] : [];
    parentPort?.postMessage(reply, transfer);
  });
});
