/**
 * Content the designer previews a template with: its own defaults, sample
 * copy, or stress cases (a long heading, a translation, an empty slot), as
 * slot inputs like a generate request sends. Only the slots the template has.
 */
import type { TemplateDocument } from '../../../../src/engine/model/template.js';

export const PREVIEW_CONTENT = {
  template: { label: "The template's own content", slots: {} },
  sample: { label: 'Sample copy', slots: { 'Heading #1': 'Summer sale: 30% off', 'Body #1': 'Light linen shirts and dresses for long days.', 'Body #2': 'Shop now' } },
  long: {
    label: 'Stress: a long heading',
    slots: { 'Heading #1': 'Our biggest end-of-season clearance event ever, with extraordinary savings across every single department', 'Body #1': 'Everything must go before the new collection arrives: shirts, dresses, trousers, shoes and accessories for the whole family.' },
  },
  translation: {
    label: 'Stress: a German translation',
    slots: { 'Heading #1': 'Sommerschlussverkauf: 30 % Rabatt auf Leinenhemden', 'Body #1': 'Leichte Hemden und Kleider für lange Sommertage, versandkostenfrei.', 'Body #2': 'Jetzt einkaufen' },
  },
  empty: { label: 'Stress: the heading slot left empty', slots: { 'Heading #1': '' } },
} as const satisfies Record<string, { label: string; slots: Record<string, string> }>;

export type PreviewContent = keyof typeof PREVIEW_CONTENT;

/** The slot inputs for a preview, limited to the slots the template has (so it renders as a generate would). */
export function previewInputs(template: TemplateDocument, which: PreviewContent): Array<{ content_type: string; content: string }> {
  const slots = new Set(template.scenes.flatMap((s) => s.elements.map((e) => e.content_type)).filter((c): c is string => c !== null));
  return Object.entries(PREVIEW_CONTENT[which].slots as Record<string, string>)
    .filter(([slot]) => slots.has(slot))
    .map(([content_type, content]) => ({ content_type, content }));
}
