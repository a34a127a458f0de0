import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { BlobStore } from '../blob/types.js';
import type { TemplateDocument } from '../engine/model/template.js';
import type { ElementOverride } from '../node/types.js';
import { decodeImage, extractSubject, resolvePlacement, subjectBox, type OfflineSmartImageService, type PreparedSmartImage, type RawImage, type SubjectBox } from '../smart-image/index.js';
import { loadCutout } from './cutout-store.js';
import type { SmartImageTask } from './protocol.js';

/**
 * Longest side of the photo a render thread keeps. Frames never need more (the
 * largest public smart-image box is 860 px, 1720 at scale 2); a 40-megapixel
 * input would otherwise cost ~300 MB per thread.
 */
const MAX_PHOTO_SIDE = 2560;
/** Subjects kept per render thread: the current request's and one more. */
const CACHE_SIZE = 2;

interface Subject {
  photo: RawImage;
  alpha: Uint8Array;
  subject: RawImage;
  box: SubjectBox;
  cutoutBy: string;
}

export interface SceneFrames {
  /** Id overrides that put each frame into its smartImage element. */
  elements: ElementOverride[];
  warnings: string[];
  /** The data: URIs of the frames, for the caller to drop from the renderer's image cache after the render. */
  sources: string[];
}

/**
 * The render-thread half of smart image: rebuilds the prepared subject from the
 * saved input and the persisted cut-out (once per thread and image), then
 * renders each smartImage element's frame at the scene's size and placement.
 * No model runs here; heavy pixel work stays off the event loop.
 */
export class SmartFrames {
  private readonly subjects = new Map<string, Promise<Subject>>();

  constructor(
    private readonly service: OfflineSmartImageService,
    private readonly blob: BlobStore,
    private readonly readSource: (src: string) => Promise<Uint8Array>,
  ) {}

  async forScene(template: TemplateDocument, sceneIndex: number, scale: number, requested: readonly ElementOverride[], smart: SmartImageTask): Promise<SceneFrames> {
    const scene = template.scenes[sceneIndex];
    const out: SceneFrames = { elements: [], warnings: [...smart.notes], sources: [] };
    if (!scene) return out;
    const slots = scene.elements.filter((el) => el.layer_type === 'smartImage' && !hiddenByRequest(el.id, requested));
    if (slots.length === 0) return out;
    const prepared = preparedOf(await this.subject(smart), smart);
    for (const el of slots) {
      if (el.layer_type !== 'smartImage') continue;
      const width = Math.max(1, Math.round(el.box.width * scale));
      const height = Math.max(1, Math.round(el.box.height * scale));
      const frame = await this.service.renderFrame(prepared, { width, height, placement: resolvePlacement(el.style.placement) });
      const png = await sharp(frame.data, { raw: { width: frame.width, height: frame.height, channels: 4 } }).png({ compressionLevel: 1 }).toBuffer();
      const src = `data:image/png;base64,${png.toString('base64')}`;
      out.elements.push({ id: el.id, layer_type: 'smartImage', content: src });
      out.sources.push(src);
      out.warnings.push(...frame.warnings);
      if (frame.provider !== 'offline') out.warnings.push(`smart image: frame of "${el.id}" made by ${frame.provider}.`);
    }
    return out;
  }

  private subject(smart: SmartImageTask): Promise<Subject> {
    let entry = this.subjects.get(smart.imageHash);
    if (entry) {
      this.subjects.delete(smart.imageHash); // most recently used last
    } else {
      entry = this.load(smart);
      entry.catch(() => this.subjects.delete(smart.imageHash));
    }
    this.subjects.set(smart.imageHash, entry);
    while (this.subjects.size > CACHE_SIZE) this.subjects.delete(this.subjects.keys().next().value as string);
    return entry;
  }

  private async load(smart: SmartImageTask): Promise<Subject> {
    const [bytes, cut] = await Promise.all([this.readSource(smart.input_image_url), loadCutout(this.blob, smart.imageHash)]);
    if (createHash('sha256').update(bytes).digest('hex') !== smart.imageHash) throw new Error('the saved smart-image input does not match the image that was cut out');
    if (!cut) throw new Error(`the cut-out of the smart image (${smart.imageHash.slice(0, 12)}) is missing from the blob store`);
    let photo = await decodeImage(bytes);
    let alpha = cut.alpha;
    if (photo.width !== cut.meta.width || photo.height !== cut.meta.height) throw new Error('the cut-out does not have the size of the photo');
    applyOwnTransparency(photo, alpha);
    const k = MAX_PHOTO_SIDE / Math.max(photo.width, photo.height);
    if (k < 1) ({ photo, alpha } = await shrink(photo, alpha, k));
    return { photo, alpha, subject: extractSubject(photo, alpha), box: subjectBox(alpha, photo.width, photo.height), cutoutBy: cut.meta.cutoutBy };
  }
}

/** True when the request hides the element (`""` by id, or by the smartImage slot with no id override). */
function hiddenByRequest(id: string, requested: readonly ElementOverride[]): boolean {
  const byId = requested.filter((o) => o.id === id);
  if (byId.length) return byId[byId.length - 1]!.content === '';
  const bySlot = requested.filter((o) => !o.id && o.content_type === 'smartImage');
  return bySlot.length > 0 && bySlot[bySlot.length - 1]!.content === '';
}

function preparedOf(s: Subject, smart: SmartImageTask): PreparedSmartImage {
  const key = createHash('sha256').update(`${smart.imageHash}\0${smart.operation}\0${smart.input ?? ''}\0${smart.seed}`).digest('hex');
  return {
    key,
    imageHash: smart.imageHash,
    operation: smart.operation,
    input: smart.input,
    seed: smart.seed,
    photo: s.photo,
    alpha: s.alpha,
    subject: s.subject,
    box: s.box,
    cutoutBy: s.cutoutBy,
    prepareMs: 0,
    warnings: [],
  };
}

/**
 * A photo with transparency of its own (a product PNG already cut out): the
 * matte never exceeds it, else its transparent pixels (colour undefined, often
 * black) would show; and the photo is flattened onto white, as a viewer shows it,
 * so expand_image extends white rather than black. In place.
 */
export function applyOwnTransparency(photo: RawImage, matte: Uint8Array): void {
  const d = photo.data;
  for (let i = 0, p = 3; i < matte.length; i++, p += 4) {
    const a = d[p]!;
    if (a === 255) continue;
    if (matte[i]! > a) matte[i] = a;
    const k = a / 255;
    const white = 255 * (1 - k) + 0.5;
    d[p - 3] = d[p - 3]! * k + white;
    d[p - 2] = d[p - 2]! * k + white;
    d[p - 1] = d[p - 1]! * k + white;
    d[p] = 255;
  }
}

async function shrink(photo: RawImage, alpha: Uint8Array, k: number): Promise<{ photo: RawImage; alpha: Uint8Array }> {
  const width = Math.max(1, Math.round(photo.width * k));
  const height = Math.max(1, Math.round(photo.height * k));
  const rgba = await sharp(photo.data, { raw: { width: photo.width, height: photo.height, channels: 4 } }).resize(width, height, { fit: 'fill' }).raw().toBuffer();
  const matte = await sharp(alpha, { raw: { width: photo.width, height: photo.height, channels: 1 } })
    .resize(width, height, { fit: 'fill', kernel: 'linear' })
    .extractChannel(0)
    .raw()
    .toBuffer();
  return { photo: { data: new Uint8Array(rgba.buffer, rgba.byteOffset, rgba.byteLength), width, height }, alpha: new Uint8Array(matte.buffer, matte.byteOffset, matte.byteLength) };
}
