/**
 * Rules of a template that JSON Schema cannot say: unique ids, slot/layer
 * agreement, size ranges, brand roles in brand-free templates. Free of the
 * validator library, so the designer in the browser checks the same rules.
 */
import { CONTENT_TYPE_PATTERN, SLOT_PREFIX_BY_LAYER, type Element, type TemplateDocument } from './template.js';

/** Where a document breaks a rule (`$.scenes[0].elements[2].content_type`) and what the rule says. */
export interface RuleViolation {
  path: string;
  rule: string;
}

function slotAllowed(layer: Element['layer_type'], contentType: string): boolean {
  return SLOT_PREFIX_BY_LAYER[layer].some((prefix) => contentType.startsWith(prefix));
}

/** The first rule the (schema-valid) document breaks, or null. */
export function templateRuleViolation(doc: TemplateDocument): RuleViolation | null {
  const slotRe = new RegExp(CONTENT_TYPE_PATTERN);
  // Ids are unique across the whole template so that an override by id targets exactly one element.
  const ids = new Set<string>();
  for (const [s, scene] of doc.scenes.entries()) {
    for (const [e, el] of scene.elements.entries()) {
      const at = `$.scenes[${s}].elements[${e}]`;
      if (ids.has(el.id)) return { path: `${at}.id`, rule: `duplicates id "${el.id}"; element ids must be unique across the template` };
      ids.add(el.id);
      if (el.content_type !== null) {
        if (!slotRe.test(el.content_type)) return { path: `${at}.content_type`, rule: 'is not a known slot' };
        if (!slotAllowed(el.layer_type, el.content_type)) {
          return { path: `${at}.content_type`, rule: `"${el.content_type}" cannot fill a ${el.layer_type} element (allowed: ${SLOT_PREFIX_BY_LAYER[el.layer_type].join(', ')}…)` };
        }
      }
      if (el.layer_type === 'smartImage' && el.style.frame?.element !== undefined) {
        const ref = el.style.frame.element;
        const target = scene.elements.find((other) => other.id === ref);
        if (!target || target === el || (target.layer_type !== 'image' && target.layer_type !== 'shape')) {
          return { path: `${at}.style.frame.element`, rule: `names "${ref}", which is not an image or shape element of the same scene; name the scene's photo region (or leave it out to use this element's box)` };
        }
      }
      if (el.layer_type === 'text' && el.style.font_size.min > el.style.font_size.max) {
        return { path: `${at}.style.font_size.min`, rule: `must not exceed font_size.max (${el.style.font_size.max})` };
      }
    }
  }
  if (!doc.requires_brand) {
    const match = /"(brand\.[a-z_]+)/.exec(JSON.stringify(doc.scenes));
    if (match) return { path: '$.requires_brand', rule: `is false but the template uses the brand role "${match[1]}"; set requires_brand to true or use a fixed value` };
  }
  return null;
}
