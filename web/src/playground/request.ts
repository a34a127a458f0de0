import type { PhotoMode } from './form.js';
import type { TextSlot } from './slots.js';

/** Plain values of the form (no signals), so the request and its snippets are pure functions of them. */
export interface FormValues {
  templateId: string;
  brandId: string | null;
  /** False for a brand-free template: brand_id is left out. */
  requiresBrand: boolean;
  slots: TextSlot[];
  texts: Record<string, string>;
  hasPhoto: boolean;
  mode: PhotoMode;
  color: string;
  prompt: string;
  /** The slot a photo fills without an operation (Image #1, …), null when the template has none. */
  photoSlot: string | null;
  /** The template has a smartImage element for smart_image to fill. */
  smartImage: boolean;
}

/** The generate body with the photo as `P`: a File for the real call, a placeholder in the snippets. */
export interface GenerateRequest<P> {
  template_id: string;
  brand_id?: string;
  elements?: Array<{ content_type: string; content: string | P }>;
  smart_image?: { input_image_url: P; scene: { operation: 'lifestyle_shot_by_text' | 'expand_image'; input?: string } };
}

/** Only slots the user changed are sent: the others keep the template's own text. */
export function buildRequest<P>(v: FormValues, photo: P): GenerateRequest<P> {
  const req: GenerateRequest<P> = { template_id: v.templateId };
  if (v.requiresBrand && v.brandId) req.brand_id = v.brandId;
  const elements: Array<{ content_type: string; content: string | P }> = [];
  for (const slot of v.slots) {
    const text = (v.texts[slot.contentType] ?? '').trim();
    if (text) elements.push({ content_type: slot.contentType, content: text });
  }
  if (v.hasPhoto) {
    if (v.mode !== 'none' && v.smartImage) {
      req.smart_image =
        v.mode === 'expand_image'
          ? { input_image_url: photo, scene: { operation: 'expand_image' } }
          : { input_image_url: photo, scene: { operation: 'lifestyle_shot_by_text', input: v.mode === 'lifestyle_color' ? v.color : v.prompt.trim() } };
    } else if (v.photoSlot) {
      elements.push({ content_type: v.photoSlot, content: photo });
    }
  }
  if (elements.length) req.elements = elements;
  return req;
}

/** A problem that stops the form from sending (the server would refuse it), said for people; null when it can go. */
export function formProblem(v: FormValues): string | null {
  if (v.requiresBrand && !v.brandId) return 'Pick a brand: this template takes its colours, fonts and logo from one.';
  if (v.hasPhoto && v.smartImage && v.mode === 'lifestyle_prompt' && !/\p{L}/u.test(v.prompt)) return 'Describe the background scene in a few words, or pick a colour.';
  if (v.hasPhoto && v.smartImage && v.mode === 'lifestyle_color' && !/^#([0-9a-f]{3}|[0-9a-f]{6})$/i.test(v.color)) return 'The background colour must be a hex colour such as #F3E9DC.';
  return null;
}
