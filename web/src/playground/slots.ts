import type { ContractElement, ContractTemplate } from '../../../src/client/types.js';

/** A text slot of a template the form offers: `Heading #1`, `Body #1`, `Button #1`, … */
export interface TextSlot {
  /** The content_type sent in `elements[]`. */
  contentType: string;
  /** What people call it: Heading, Body, Button (numbered when a template has several). */
  label: string;
  /** The template's own text for it (first scene that has it): shown as the placeholder, used when left empty. */
  defaultText: string;
  /** Long copy gets a text area. */
  multiline: boolean;
}

const TEXT_SLOT = /^(Heading|Body|Button) #(\d+)$/;
/** Element ids of a button's label (public templates put it in a Body slot: `s1-cta-label`). */
const BUTTON_ID = /(^|[-_])(cta|button|btn)([-_]|$)/i;
const KIND_ORDER = { Heading: 0, Body: 1, Button: 2 } as const;

function elementsOf(template: ContractTemplate): ContractElement[] {
  return Object.entries(template)
    .filter(([key, value]) => /^scene_\d+$/.test(key) && Array.isArray(value))
    .sort(([a], [b]) => Number(a.slice(6)) - Number(b.slice(6)))
    .flatMap(([, value]) => value as ContractElement[]);
}

/**
 * The text slots a template has, in reading order (headings, body, buttons).
 * A Body slot whose elements are button labels is called "Button" so the form
 * says what it changes.
 */
export function textSlots(template: ContractTemplate): TextSlot[] {
  const found = new Map<string, { kind: keyof typeof KIND_ORDER; n: number; defaultText: string; button: boolean }>();
  for (const el of elementsOf(template)) {
    if (el.layer_type !== 'text' || !el.content_type) continue;
    const m = TEXT_SLOT.exec(el.content_type);
    if (!m) continue;
    const seen = found.get(el.content_type);
    if (seen) {
      if (!seen.defaultText && el.content) seen.defaultText = el.content;
      continue;
    }
    const kind = m[1] as keyof typeof KIND_ORDER;
    found.set(el.content_type, { kind, n: Number(m[2]), defaultText: el.content ?? '', button: kind === 'Button' || BUTTON_ID.test(el.id) });
  }
  const entries = [...found.entries()].map(([contentType, s]) => ({ contentType, ...s, shown: s.button ? 'Button' : s.kind }));
  const counts = new Map<string, number>();
  for (const e of entries) counts.set(e.shown, (counts.get(e.shown) ?? 0) + 1);
  const rank = (e: (typeof entries)[number]) => KIND_ORDER[e.shown as keyof typeof KIND_ORDER];
  entries.sort((a, b) => rank(a) - rank(b) || a.n - b.n);
  const index = new Map<string, number>();
  return entries.map((e) => {
    const i = (index.get(e.shown) ?? 0) + 1;
    index.set(e.shown, i);
    return {
      contentType: e.contentType,
      label: (counts.get(e.shown) ?? 0) > 1 ? `${e.shown} ${i}` : e.shown,
      defaultText: e.defaultText,
      multiline: e.shown === 'Body',
    };
  });
}

/** The image slot a photo fills when no smart-image operation is chosen (the template's first `Image #n`, else its smartImage). */
export function photoSlot(template: ContractTemplate): string | null {
  const types = elementsOf(template).map((e) => e.content_type ?? '');
  return types.find((t) => /^Image #\d+$/.test(t)) ?? (types.includes('smartImage') ? 'smartImage' : null);
}

/** True when the template has a smartImage element, the one `smart_image` fills. */
export function hasSmartImage(template: ContractTemplate): boolean {
  return elementsOf(template).some((e) => e.layer_type === 'smartImage' || e.content_type === 'smartImage');
}
