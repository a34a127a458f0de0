import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import { openBlobStore } from '../blob/descriptor.js';
import { ImageModerator } from '../moderation/index.js';
import { SmartImageInputError, type OfflineSmartImageService } from '../smart-image/index.js';
import { readCutoutMeta, saveCutout } from './cutout-store.js';
import type { CutoutResult, ModelPart, ModelsFailure, ModelsReply, ModelsRequest, ModelsThreadSettings, PartStatus } from './models-protocol.js';
import { smartImageService } from './smart-image-stage.js';
import { lowerThisThreadPriority } from './thread.js';

/**
 * The models thread: the process's one ISNet session (cut-outs) and one NSFW
 * classifier, so that neither the event loop nor each render thread carries a
 * model. Loads are lazy (or asked for at start by the host) and never throw:
 * a model that fails to load is reported as a failed part.
 */
const settings = workerData as ModelsThreadSettings;
lowerThisThreadPriority(settings.niceness);
const blob = await openBlobStore(settings.blob);

const post = (msg: ModelsReply) => parentPort?.postMessage(msg);

let smart: OfflineSmartImageService | null = null;
let moderator: ImageModerator | null = null;
const loads = new Map<ModelPart, Promise<PartStatus>>();

function load(part: ModelPart): Promise<PartStatus> {
  let pending = loads.get(part);
  if (!pending) {
    post({ type: 'status', part, status: { state: 'loading', ok: true, detail: `${part} model loading` } });
    pending = (async () => {
      const t = performance.now();
      let st: { ok: boolean; detail: string };
      if (part === 'smart_image') {
        smart ??= smartImageService(settings.models.smartImage);
        st = await smart.warm();
      } else {
        moderator ??= new ImageModerator({
          thresholds: settings.models.nsfwThresholds,
          ...(settings.models.moderationWasmDir ? { wasmDir: settings.models.moderationWasmDir } : {}),
        });
        await moderator.load();
        st = withWasmBackend(moderator.status());
      }
      const status: PartStatus = { state: st.ok ? 'ready' : 'failed', ok: st.ok, detail: st.detail, loadMs: Math.round(performance.now() - t) };
      post({ type: 'status', part, status });
      return status;
    })();
    loads.set(part, pending);
  }
  return pending;
}

/**
 * The moderator asks tfjs for its wasm backend; when the .wasm files are missing
 * tfjs quietly falls back to its pure-JS CPU backend (tens of times slower), and
 * the moderator still reports success. A broken install is a failed part here,
 * not a slow server.
 */
function withWasmBackend(st: { ok: boolean; detail: string }): { ok: boolean; detail: string } {
  if (!st.ok) return st;
  // The moderator loads tfjs's CommonJS build; asking the same instance (an ESM import would be another engine).
  const backend = (createRequire(import.meta.url)('@tensorflow/tfjs') as { getBackend(): string }).getBackend();
  if (backend === 'wasm') return st;
  const where = settings.models.moderationWasmDir ?? 'the installed @tensorflow/tfjs-backend-wasm';
  return { ok: false, detail: `image moderation model (nsfwjs) failed to load: the tfjs wasm backend did not start (its .wasm files were not found in ${where}; tfjs fell back to "${backend}")` };
}

const unavailable = (feature: string, detail: string): ModelsFailure => ({ ok: false, code: 'ADS_MODEL_UNAVAILABLE', params: { feature, detail } });

/** Cut-outs being computed, by image hash: two jobs with the same image share one model run. */
const computing = new Map<string, Promise<CutoutResult | ModelsFailure>>();

async function cutout(bytes: Uint8Array): Promise<CutoutResult | ModelsFailure> {
  const imageHash = createHash('sha256').update(bytes).digest('hex');
  const saved = await readCutoutMeta(blob, imageHash);
  if (saved) return { ok: true, imageHash, cutoutBy: saved.cutoutBy, ms: saved.ms, computed: false, warnings: saved.warnings };
  const joined = computing.get(imageHash);
  if (joined) {
    // Another job is computing this very image: share its run; only that job counts as having computed it.
    const result = await joined;
    return result.ok ? { ...result, computed: false } : result;
  }
  const pending = computeCutout(bytes, imageHash).finally(() => computing.delete(imageHash));
  computing.set(imageHash, pending);
  return pending;
}

async function computeCutout(bytes: Uint8Array, imageHash: string): Promise<CutoutResult | ModelsFailure> {
  const status = await load('smart_image');
  if (!status.ok) return unavailable('Smart image', status.detail);
  const service = smart as OfflineSmartImageService;
  try {
    const prep = await service.prepare({ image: bytes, operation: 'expand_image' });
    const meta = {
      version: 1 as const,
      imageHash,
      width: prep.photo.width,
      height: prep.photo.height,
      cutoutBy: prep.cutoutBy,
      ms: Math.round(prep.prepareMs),
      warnings: prep.warnings ?? [],
    };
    await saveCutout(blob, meta, prep.alpha);
    return { ok: true, imageHash, cutoutBy: meta.cutoutBy, ms: meta.ms, computed: prep.prepareMs > 0, warnings: meta.warnings };
  } catch (err) {
    if (err instanceof SmartImageInputError) return { ok: false, code: 'ADS_URL_UNUSABLE', params: { parameter: err.field, reason: `the image ${err.message}` } };
    if (!service.status().ok) return unavailable('Smart image', service.status().detail);
    return { ok: false, code: 'ADS_RENDER_FAILED', params: { reason: `the smart-image cut-out failed (${(err as Error).message})` } };
  }
}

async function classify(bytes: Uint8Array): Promise<ModelsReply & { type: 'classify' }> {
  const status = await load('image_moderation');
  if (!status.ok) return { type: 'classify', id: 0, result: unavailable('Content moderation', status.detail) };
  const t = performance.now();
  try {
    const verdict = await (moderator as ImageModerator).check(bytes);
    return { type: 'classify', id: 0, result: { ok: true, verdict, ms: performance.now() - t } };
  } catch (err) {
    return { type: 'classify', id: 0, result: { ok: false, code: 'ADS_RENDER_FAILED', params: { reason: `the image could not be classified (${(err as Error).message})` } } };
  }
}

parentPort?.on('message', (msg: ModelsRequest) => {
  switch (msg.type) {
    case 'load':
      void load(msg.part);
      break;
    case 'cutout':
      void cutout(msg.bytes).then((result) => post({ type: 'cutout', id: msg.id, result }));
      break;
    case 'classify':
      void classify(msg.bytes).then((reply) => post({ ...reply, id: msg.id }));
      break;
  }
});
