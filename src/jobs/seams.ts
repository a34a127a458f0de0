import type { TemplateDocument } from '../engine/model/template.js';
import type { ElementOverride } from '../node/types.js';
import type { SmartImageInput } from './protocol.js';

/**
 * Where smart image and moderation (issue 4) plug into the job pipeline. The API
 * accepts, validates and persists `smart_image` and `content_moderation`; these
 * seams are the only places that act on them.
 *
 * Until issue 4 lands:
 *  - SMART IMAGE SEAM: the input image is placed as given into every `smartImage`
 *    slot (no cut-out, no generated background); the scene carries a warning saying so.
 *  - OUTPUT MODERATION SEAM: rendered scenes are not checked (`checked: false`).
 *  - INPUT MODERATION SEAM: see `InputModerator` in src/server/app.ts deps.
 */
export interface SmartImageSeamResult {
  elements: ElementOverride[];
  warnings: string[];
}

export function applySmartImageSeam(template: TemplateDocument, elements: ElementOverride[], smart: SmartImageInput | null): SmartImageSeamResult {
  if (!smart) return { elements, warnings: [] };
  const hasSlot = template.scenes.some((s) => s.elements.some((e) => e.content_type === 'smartImage'));
  if (!hasSlot) return { elements, warnings: ['smart_image was sent but the template has no smartImage element; it is not used.'] };
  const explicit = elements.some((e) => e.content_type === 'smartImage');
  const filled = explicit ? elements : [...elements, { layer_type: 'smartImage', content_type: 'smartImage', content: smart.input_image_url }];
  return {
    elements: filled,
    warnings: [`smart_image.scene.operation "${smart.scene?.operation ?? 'none'}" is not applied yet: the input image is placed as given.`],
  };
}

/** Output moderation: `flagged` turns the scene into a zero-byte result. */
export type OutputModerator = (bytes: Uint8Array, mimeType: string) => Promise<{ checked: boolean; flagged: boolean }>;

export const notYetModerated: OutputModerator = async () => ({ checked: false, flagged: false });
