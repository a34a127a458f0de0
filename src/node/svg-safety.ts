/**
 * SVG documents come from users (brand logos, image elements, uploads). resvg
 * resolves `<image href="/some/path.png">` against the file system (absolute
 * paths, and relative ones against the working directory), so an SVG could draw
 * another organisation's rendered ad, or any picture on the server's disk.
 *
 * The rule: an SVG never resolves a reference outside itself. Only `data:` URIs
 * and same-document fragments (`#id`) are kept. Everything else — `href` and
 * `xlink:href` (any namespace prefix) on any element (`<image>`, `<use>`,
 * `<feImage>`, …), `xml:base`, CSS `url(…)` in attributes, style attributes and
 * `<style>`, `@import`, `<?xml-stylesheet?>` — is found here: uploads are
 * refused naming the first one (src/server/assets/upload-check.ts), and rendering
 * removes them with a warning (documents stored before the check existed).
 *
 * An internal DTD (`<!DOCTYPE svg [ … ]>`, `<!ENTITY …>`) is refused outright:
 * entities can assemble markup after this scan (character references inside an
 * entity value spell `href`), so no textual check could see what the parser will.
 * A DOCTYPE with only a public/system identifier declares no entities; it is
 * removed before rasterising (nothing ever fetches the external DTD).
 *
 * The scan is textual on purpose and errs on the side of removing: an `href`
 * inside text content is removed too, which changes nothing that is drawn.
 */

export interface SvgReference {
  /** The reference as written (shortened to 120 characters). */
  reference: string;
  /** Where it was found: `href attribute`, `CSS url()`, `@import`, `xml:base`, `xml-stylesheet`. */
  where: string;
}

/** An SVG that cannot be made safe by removing references (an internal DTD or entities). */
export class SvgRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SvgRefused';
  }
}

const DTD_MESSAGE = 'SVG documents must not declare a DTD with entities (<!DOCTYPE … [ … ]> or <!ENTITY>): remove the DOCTYPE and write the content out';

const RASTER_MAGIC: Array<(b: Uint8Array) => boolean> = [
  (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47, // PNG
  (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff, // JPEG
  (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46, // GIF
  (b) => b[0] === 0x52 && b[1] === 0x49 && b[2] === 0x46 && b[3] === 0x46 && b[8] === 0x57 && b[9] === 0x45, // RIFF….WE(BP)
];

/** XML character and entity references in an attribute value, as the parser will read it. */
function unescapeXml(value: string): string {
  return value.replace(/&(#x[0-9a-f]+|#\d+|lt|gt|amp|quot|apos);/gi, (_, ref: string) => {
    const r = ref.toLowerCase();
    if (r.startsWith('#x')) return String.fromCodePoint(Math.min(parseInt(r.slice(2), 16), 0x10ffff));
    if (r.startsWith('#')) return String.fromCodePoint(Math.min(parseInt(r.slice(1), 10), 0x10ffff));
    return ({ lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" } as Record<string, string>)[r] ?? '';
  });
}

/** The bytes of a data: URI, or null when it is malformed. */
function dataUriBytes(uri: string): Uint8Array | null {
  const m = /^\s*data:([^,]*?)(;base64)?,([\s\S]*)$/i.exec(uri);
  if (!m) return null;
  try {
    return m[2] ? new Uint8Array(Buffer.from((m[3] ?? '').replace(/\s+/g, ''), 'base64')) : new Uint8Array(Buffer.from(decodeURIComponent(m[3] ?? ''), 'utf8'));
  } catch {
    return null;
  }
}

/** Nested SVGs (resvg draws `<image href="data:image/svg+xml,…">` and resolves its references too) are checked this deep. */
const MAX_NESTING = 4;

/**
 * What an href becomes: `#id` stays; a data: URI of a raster image stays; a data: URI of an SVG is
 * sanitised in turn and re-encoded; anything else is removed (null).
 */
function safeHref(raw: string, depth: number, removed: SvgReference[]): string | null {
  const value = unescapeXml(raw).trim();
  if (value.startsWith('#')) return raw;
  if (!/^data:/i.test(value)) return null;
  const bytes = dataUriBytes(value);
  if (!bytes) return null;
  if (RASTER_MAGIC.some((is) => is(bytes))) return raw;
  if (depth >= MAX_NESTING) return null;
  const inner = sanitiseAt(new TextDecoder('utf-8').decode(bytes), depth + 1);
  removed.push(...inner.removed);
  return `data:image/svg+xml;base64,${Buffer.from(inner.svg, 'utf8').toString('base64')}`;
}

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > 120 ? `${one.slice(0, 117)}…` : one;
}

// Attributes: XML requires whitespace before each attribute, so this finds every href whatever the tag around it.
const HREF_ATTR = /(\s)((?:[^\s=<>"'/:]+:)?href|xml:base)\s*=\s*("[^"]*"|'[^']*')/gi;
const CSS_URL = /url\(\s*("[^"]*"|'[^']*'|[^)]*?)\s*\)/gi;
const CSS_IMPORT = /@import\b[^;]*;?/gi;
const STYLESHEET_PI = /<\?xml-stylesheet\b[\s\S]*?\?>/gi;
// A DOCTYPE with at most a public/system identifier: no internal subset, hence no entities.
const EXTERNAL_DOCTYPE = /<!DOCTYPE\s+[^\s[>]+(?:\s+(?:PUBLIC\s+(?:"[^"]*"|'[^']*')\s+(?:"[^"]*"|'[^']*')|SYSTEM\s+(?:"[^"]*"|'[^']*')))?\s*>/gi;

/** Throws SvgRefused when the document declares an internal DTD or entities. */
function refuseDtd(text: string): string {
  if (/<!ENTITY/i.test(text)) throw new SvgRefused(DTD_MESSAGE);
  const withoutDoctype = text.replace(EXTERNAL_DOCTYPE, '');
  if (/<!DOCTYPE/i.test(withoutDoctype)) throw new SvgRefused(DTD_MESSAGE);
  return withoutDoctype;
}

/** Every reference the document makes outside itself. Throws SvgRefused for a DTD. */
export function svgExternalReferences(text: string): SvgReference[] {
  return sanitiseSvgText(text).removed;
}

/** The document with every outside reference removed, and what was removed. Throws SvgRefused for a DTD. */
export function sanitiseSvgText(text: string): { svg: string; removed: SvgReference[] } {
  return sanitiseAt(text, 0);
}

function sanitiseAt(text: string, depth: number): { svg: string; removed: SvgReference[] } {
  const removed: SvgReference[] = [];
  let svg = refuseDtd(text.replace(/^\uFEFF/, ''));
  svg = svg.replace(STYLESHEET_PI, (pi) => {
    removed.push({ reference: shorten(pi), where: 'xml-stylesheet' });
    return '';
  });
  svg = svg.replace(HREF_ATTR, (whole, space: string, name: string, quoted: string) => {
    const quote = quoted[0] ?? '"';
    const value = quoted.slice(1, -1);
    const isBase = name.toLowerCase() === 'xml:base';
    const kept = isBase ? null : safeHref(value, depth, removed);
    if (kept === value) return whole;
    if (kept !== null) return `${space}${name}=${quote}${kept}${quote}`;
    removed.push({ reference: shorten(unescapeXml(value)), where: isBase ? 'xml:base' : `${name} attribute` });
    return space;
  });
  svg = svg.replace(CSS_IMPORT, (rule) => {
    removed.push({ reference: shorten(rule), where: '@import' });
    return '';
  });
  // Paint servers, clips, masks and filters are referenced as url(#id); nothing else is needed, so nothing else stays.
  svg = svg.replace(CSS_URL, (whole, arg: string) => {
    const value = unescapeXml(/^["']/.test(arg) ? arg.slice(1, -1) : arg).trim();
    if (value.startsWith('#')) return whole;
    removed.push({ reference: shorten(value), where: 'CSS url()' });
    return 'none';
  });
  return { svg, removed };
}

/** Bytes in, safe bytes out (UTF-8); see sanitiseSvgText. */
export function sanitiseSvg(bytes: Uint8Array): { svg: Buffer; removed: SvgReference[] } {
  const { svg, removed } = sanitiseSvgText(new TextDecoder('utf-8').decode(bytes));
  return { svg: Buffer.from(svg, 'utf8'), removed };
}

/** One line naming what was removed, for a render warning. */
export function describeRemoved(removed: readonly SvgReference[]): string {
  const list = removed.slice(0, 3).map((r) => `${r.where} "${r.reference}"`);
  const more = removed.length > 3 ? ` and ${removed.length - 3} more` : '';
  return `${list.join(', ')}${more}`;
}
