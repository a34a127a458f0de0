import { AdsmithError } from '../../errors/catalogue.js';
import { templateSlots } from '../model/contract.js';
import type { Element, TemplateDocument } from '../model/template.js';

/** One entry of a generate request's `elements[]`. */
export interface ContentOverride {
  layer_type?: string;
  content_type?: string | null;
  content: string;
  id?: string;
  /** BCP 47 language of this content (picks CJK glyph forms); wins over the element's own `style.locale`. */
  locale?: string;
}

/**
 * The content each element ends up with, by element id. `hidden` is set when
 * the request sent `""` for it, or when a text or image has no content at all.
 * A logo whose template content is `""` draws the brand's logo.
 */
export type ContentMap = Map<string, { value: string; hidden: boolean; locale?: string }>;

/** A BCP 47 tag's shape (the template schema's `Locale` pattern). */
const LOCALE = /^[A-Za-z]{2,8}(?:[-_][A-Za-z0-9]{1,8})*$/;

function findById(doc: TemplateDocument, id: string): Element | undefined {
  for (const scene of doc.scenes) for (const el of scene.elements) if (el.id === id) return el;
  return undefined;
}

/**
 * Apply the request's element overrides. A `content_type` fills every element
 * of that slot in every scene; an `id` targets one element and wins over a
 * slot; `""` hides. Throws a 400 naming the entry for unknown slots or ids.
 */
export function resolveOverrides(doc: TemplateDocument, overrides: readonly ContentOverride[] = []): ContentMap {
  const bySlot = new Map<string, string>();
  const byId = new Map<string, string>();
  const localeBySlot = new Map<string, string>();
  const localeById = new Map<string, string>();
  const slots = templateSlots(doc);
  overrides.forEach((o, index) => {
    if (typeof o.content !== 'string') {
      throw new AdsmithError('ADS_BAD_OPTION', { option: `elements[${index}].content`, problem: 'must be a string ("" hides the element).' });
    }
    if (o.locale !== undefined && o.locale !== null && (typeof o.locale !== 'string' || !LOCALE.test(o.locale))) {
      throw new AdsmithError('ADS_BAD_OPTION', { option: `elements[${index}].locale`, problem: 'must be a BCP 47 language tag such as "ja", "ko", "zh-Hant" or "en-US".' });
    }
    if (o.id !== undefined && o.id !== null && o.id !== '') {
      const target = findById(doc, o.id);
      if (!target) throw new AdsmithError('ADS_UNKNOWN_ELEMENT_ID', { index, id: o.id, template: doc.id });
      if (o.layer_type && o.layer_type !== target.layer_type) {
        throw new AdsmithError('ADS_OVERRIDE_LAYER_MISMATCH', { index, given: o.layer_type, expected: target.layer_type });
      }
      byId.set(o.id, o.content);
      if (o.locale) localeById.set(o.id, o.locale);
      return;
    }
    if (!o.content_type) throw new AdsmithError('ADS_OVERRIDE_TARGET_MISSING', { index });
    if (!slots.includes(o.content_type)) {
      throw new AdsmithError('ADS_UNKNOWN_CONTENT_TYPE', { index, content_type: o.content_type, template: doc.id, slots: slots.join(', ') });
    }
    if (o.layer_type) {
      const sample = doc.scenes.flatMap((s) => s.elements).find((el) => el.content_type === o.content_type);
      if (sample && sample.layer_type !== o.layer_type) {
        throw new AdsmithError('ADS_OVERRIDE_LAYER_MISMATCH', { index, given: o.layer_type, expected: sample.layer_type });
      }
    }
    bySlot.set(o.content_type, o.content);
    if (o.locale) localeBySlot.set(o.content_type, o.locale);
  });

  const content: ContentMap = new Map();
  for (const scene of doc.scenes) {
    for (const el of scene.elements) {
      const fromId = byId.get(el.id);
      const fromSlot = el.content_type ? bySlot.get(el.content_type) : undefined;
      const requested = fromId ?? fromSlot;
      const value = requested ?? el.content;
      const emptyDefault = value === '' && el.layer_type !== 'logo' && el.layer_type !== 'shape';
      const locale = fromId !== undefined ? localeById.get(el.id) : fromSlot !== undefined && el.content_type ? localeBySlot.get(el.content_type) : undefined;
      content.set(el.id, { value, hidden: requested === '' || emptyDefault, ...(locale ? { locale } : {}) });
    }
  }
  return content;
}
