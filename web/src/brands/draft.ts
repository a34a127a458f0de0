import { closestWeight } from '../../../src/engine/fonts.js';
import type { BrandDocument } from '../../../src/engine/model/brand.js';

/**
 * The brand being edited, as plain data (DOM-free): where a draft starts from, what is sent when it
 * is saved, and what the user is told when a picked file is refused.
 */

export type Brand = BrandDocument;
export type LogoRole = 'primary' | 'icon' | 'secondary';
export type LogoVariant = 'on_light' | 'on_dark';
export type PickKind = 'font' | 'logo';

/** Logo roles in the order they are shown; `secondary` is optional in the schema. */
export const LOGO_ROLES: ReadonlyArray<{ role: LogoRole; label: string; optional: boolean }> = [
  { role: 'primary', label: 'Primary logo', optional: false },
  { role: 'icon', label: 'Icon', optional: false },
  { role: 'secondary', label: 'Secondary logo', optional: true },
];

/** A copy of `doc` to edit as a new brand: the server gives it its id and dates when it is saved. */
export function startFrom(doc: Brand, name: string): Brand {
  const copy = structuredClone(doc);
  delete copy.created_at;
  delete copy.$schema;
  return { ...copy, id: 'new', name };
}

/** The document as POST/PUT /v1/ads/brands take it (the id is the URL's, the dates the server's). */
export function savedBody(doc: Brand): Omit<Brand, 'id' | 'created_at' | '$schema'> {
  const { id: _id, created_at: _created, $schema: _schema, ...body } = doc;
  return body;
}

/** Equal as saved: what decides whether there is unsaved work. */
export function sameBrand(a: Brand | null, b: Brand | null): boolean {
  return JSON.stringify(a && savedBody(a)) === JSON.stringify(b && savedBody(b));
}

/** Every file source the document names (logos and font files). */
export function sourcesOf(doc: Brand): Set<string> {
  const out = new Set<string>();
  for (const variants of Object.values(doc.logos)) if (variants) for (const src of Object.values(variants)) out.add(src);
  for (const f of doc.fonts.files ?? []) out.add(f.src);
  return out;
}

/** The families of the brand's own font files, each once, in order. */
export function ownFamilies(doc: Brand): string[] {
  return [...new Set((doc.fonts.files ?? []).map((f) => f.family))];
}

const ACCEPTED: Record<PickKind, { extensions: string[]; what: string }> = {
  font: { extensions: ['ttf', 'otf', 'woff', 'woff2'], what: 'a font must be a TTF, OTF, WOFF or WOFF2 file' },
  logo: { extensions: ['svg', 'png'], what: 'a logo must be an SVG or PNG image' },
};

/** The `accept` attribute of the file input for a kind. */
export function acceptFor(kind: PickKind): string {
  return ACCEPTED[kind].extensions.map((e) => `.${e}`).join(',');
}

/** Refuses a picked file by its name before it is sent (the server checks the bytes after). */
export function pickProblem(filename: string, kind: PickKind): string | null {
  const ext = /\.([A-Za-z0-9]+)$/.exec(filename)?.[1]?.toLowerCase();
  return ext && ACCEPTED[kind].extensions.includes(ext) ? null : `"${filename}" was not uploaded: ${ACCEPTED[kind].what}.`;
}

/** What the server stored is not what the slot takes (a PNG named .ttf passes the name check): the rule, naming the file. */
export function storedProblem(filename: string, mimeType: string, kind: PickKind): string | null {
  const ok = kind === 'font' ? /^font\//.test(mimeType) : mimeType === 'image/svg+xml' || mimeType === 'image/png';
  return ok ? null : `"${filename}" was not used: its bytes are ${mimeType}, and ${ACCEPTED[kind].what}.`;
}

/** A refused upload as one sentence naming the file; the server's message already names the rule. */
export function uploadMessage(filename: string, status: number, serverMessage: string): string {
  if (status === 413) return `"${filename}" is too large: ${serverMessage}`;
  if (serverMessage.includes(`"${filename}"`)) return serverMessage;
  return `"${filename}" could not be uploaded: ${serverMessage}`;
}

/**
 * What a font role will really draw with, when that is not what it names: a family that is neither
 * shipped nor the brand's own (text falls back to the shipped chain), or an own family without a file
 * at the role's weight (the nearest, by the CSS rule the engine follows). `shipped` null: not known yet.
 */
export function roleFontNote(doc: Brand, role: 'heading' | 'body', shipped: readonly string[] | null): string | null {
  const { family, weight = 400 } = doc.fonts[role];
  const files = (doc.fonts.files ?? []).filter((f) => f.family === family && (f.style ?? 'normal') === 'normal');
  if (files.length === 0) {
    if (shipped === null || shipped.includes(family) || (doc.fonts.files ?? []).some((f) => f.family === family)) return null;
    return `"${family}" is neither shipped with Adsmith nor one of this brand's font files: this text falls back to the shipped fonts.`;
  }
  const used = closestWeight(files.map((f) => f.weight), weight);
  return used === weight ? null : `This brand has no "${family}" file at weight ${weight}: the nearest, ${used}, is used.`;
}
