import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { BlobStore } from '../blob/types.js';
import type { Element, Scene, TemplateDocument } from '../engine/model/template.js';
import type { ElementOverride } from '../node/types.js';
import { decodeImage, extractSubject, resolvePlacement, subjectBox, type OfflineSmartImageService, type PreparedSmartImage, type RawImage, type SubjectBox } from '../smart-image/index.js';
import type { FrameLayout, Rect } from '../smart-image/layers.js';
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
  /** The template to render this scene from: the frames' fills are image elements of this scene in it. */
  template: TemplateDocument;
  /** Id overrides that put each frame's subject into its smartImage element (and each fill into its element). */
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
 *
 * A frame is a designed region of the scene (the element's `style.frame`): its
 * fill takes the place of the frame's element (the photo region) in the paint
 * order, or lies just under the smartImage element, or under everything when
 * full-bleed; the subject with its shadow is drawn at the smartImage element.
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
    const out: SceneFrames = { template, elements: [], warnings: [...smart.notes], sources: [] };
    if (!scene) return out;
    const slots = scene.elements.filter((el): el is SmartImageEl => el.layer_type === 'smartImage' && !hiddenByRequest(el.id, requested));
    if (slots.length === 0) return out;
    const prepared = preparedOf(await this.subject(smart), smart);
    let elements = [...scene.elements];
    for (const el of slots) {
      const { layout, target } = frameLayout(el, scene, scale);
      const frame = await this.service.renderLayers(prepared, layout);
      const fillSrc = await dataUri(frame.fill);
      out.sources.push(fillSrc);
      const fillId = target ? target.id : `${el.id}.frame`;
      const fillEl: Element = {
        id: fillId,
        name: 'Smart image frame',
        layer_type: 'image',
        content_type: null,
        content: fillSrc,
        box: { ...(target?.box ?? {}), ...unscaled(layout.region, scale) },
        ...(target?.order !== undefined ? { order: target.order } : el.order !== undefined && el.style.frame?.shape !== 'full-bleed' ? { order: el.order } : {}),
        style: { fit: 'cover' },
      };
      // An id override wins over the request's own for the element the frame replaces.
      if (target) out.elements.push({ id: fillId, layer_type: 'image', content: fillSrc });
      let subject: Element = el;
      if (frame.subject) {
        const src = await dataUri(frame.subject.img);
        out.sources.push(src);
        out.elements.push({ id: el.id, layer_type: 'smartImage', content: src });
        // The subject layer is drawn as it is: no box fill or rounding of its own, exactly its pixels.
        subject = { ...el, box: { ...el.box, ...unscaled(frame.subject.rect, scale) }, style: { fit: 'cover', ...(el.style.placement ? { placement: el.style.placement } : {}) } };
      } else {
        out.elements.push({ id: el.id, layer_type: 'smartImage', content: '' });
      }
      elements = elements.map((e) => (e.id === el.id ? subject : e));
      if (target) elements = elements.map((e) => (e.id === target.id ? fillEl : e));
      else if (el.style.frame?.shape === 'full-bleed') elements.unshift(fillEl);
      else elements.splice(elements.findIndex((e) => e.id === el.id), 0, fillEl);
      out.warnings.push(...frame.warnings);
      if (frame.provider !== 'offline') out.warnings.push(`smart image: frame of "${el.id}" made by ${frame.provider}.`);
    }
    out.template = { ...template, scenes: template.scenes.map((s, i) => (i === sceneIndex ? { ...s, elements } : s)) };
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

type SmartImageEl = Extract<Element, { layer_type: 'smartImage' }>;

/**
 * Where a smartImage element's frame goes in this scene, in output pixels: the subject's box, the region its
 * fill covers (the frame's element, the whole scene when full-bleed, else the element's own box) and shape.
 * A frame element that is missing or not an image or shape (templates are checked on save) falls back to the
 * element's own box.
 */
export function frameLayout(el: SmartImageEl, scene: Scene, scale: number): { layout: FrameLayout; target: Element | null } {
  const spec = el.style.frame;
  const found = spec?.element ? scene.elements.find((e) => e.id === spec.element) : undefined;
  const target = found && (found.layer_type === 'image' || found.layer_type === 'shape') && spec?.shape !== 'full-bleed' ? found : null;
  const region = spec?.shape === 'full-bleed' ? { x: 0, y: 0, width: scene.width, height: scene.height } : (target?.box ?? el.box);
  const radius = spec?.radius ?? (target ? ((target.style as { corner_radius?: number }).corner_radius ?? 0) : 0);
  return {
    target,
    // The subject stays inside its frame: placed in the part of the element's box that the region covers.
    layout: { box: scaled(intersection(el.box, region) ?? el.box, scale), region: scaled(region, scale), shape: spec?.shape ?? 'rect', radius: radius * scale, placement: resolvePlacement(el.style.placement) },
  };
}

function intersection(a: Rect, b: Rect): Rect | null {
  const x = Math.max(a.x, b.x), y = Math.max(a.y, b.y);
  const width = Math.min(a.x + a.width, b.x + b.width) - x, height = Math.min(a.y + a.height, b.y + b.height) - y;
  return width >= 1 && height >= 1 ? { x, y, width, height } : null;
}

function scaled(b: Rect, scale: number): Rect {
  const x = Math.round(b.x * scale), y = Math.round(b.y * scale);
  return { x, y, width: Math.max(1, Math.round((b.x + b.width) * scale) - x), height: Math.max(1, Math.round((b.y + b.height) * scale) - y) };
}

function unscaled(r: Rect, scale: number): Rect {
  return { x: r.x / scale, y: r.y / scale, width: r.width / scale, height: r.height / scale };
}

async function dataUri(img: RawImage): Promise<string> {
  const png = await sharp(img.data, { raw: { width: img.width, height: img.height, channels: 4 } }).png({ compressionLevel: 1 }).toBuffer();
  return `data:image/png;base64,${png.toString('base64')}`;
}
