/** Content sniffing for fetched and uploaded files: the bytes say what a file is, not its name or Content-Type. */

export type SniffedType = 'png' | 'jpeg' | 'gif' | 'webp' | 'avif' | 'svg' | 'ttf' | 'otf' | 'woff' | 'woff2' | 'unknown';

export interface Sniffed {
  type: SniffedType;
  mimeType: string;
  width?: number;
  height?: number;
}

const MIME: Record<SniffedType, string> = {
  png: 'image/png',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  avif: 'image/avif',
  svg: 'image/svg+xml',
  ttf: 'font/ttf',
  otf: 'font/otf',
  woff: 'font/woff',
  woff2: 'font/woff2',
  unknown: 'application/octet-stream',
};

export const IMAGE_TYPES: readonly SniffedType[] = ['png', 'jpeg', 'gif', 'webp', 'avif', 'svg'];
export const FONT_TYPES: readonly SniffedType[] = ['ttf', 'otf', 'woff', 'woff2'];

const ascii = (b: Uint8Array, start: number, len: number): string => String.fromCharCode(...b.subarray(start, start + len));
const u16be = (b: Uint8Array, i: number): number => ((b[i] ?? 0) << 8) | (b[i + 1] ?? 0);
const u16le = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8);
const u24le = (b: Uint8Array, i: number): number => (b[i] ?? 0) | ((b[i + 1] ?? 0) << 8) | ((b[i + 2] ?? 0) << 16);
const u32be = (b: Uint8Array, i: number): number => (((b[i] ?? 0) << 24) >>> 0) + (((b[i + 1] ?? 0) << 16) | ((b[i + 2] ?? 0) << 8) | (b[i + 3] ?? 0));

function jpegSize(b: Uint8Array): { width: number; height: number } | undefined {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return undefined;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xd8 || (marker >= 0xd0 && marker <= 0xd7) || marker === 0x01 || marker === 0xff) {
      i += marker === 0xff ? 1 : 2;
      continue;
    }
    const len = u16be(b, i + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: u16be(b, i + 5), width: u16be(b, i + 7) };
    }
    i += 2 + len;
  }
  return undefined;
}

/** What the bytes are, and for raster images their pixel size when the header says it. */
export function sniff(bytes: Uint8Array): Sniffed {
  const b = bytes;
  const out = (type: SniffedType, size?: { width: number; height: number }): Sniffed => ({ type, mimeType: MIME[type], ...(size ?? {}) });
  if (b.length >= 24 && b[0] === 0x89 && ascii(b, 1, 3) === 'PNG') return out('png', { width: u32be(b, 16), height: u32be(b, 20) });
  if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return out('jpeg', jpegSize(b));
  if (b.length >= 10 && (ascii(b, 0, 6) === 'GIF87a' || ascii(b, 0, 6) === 'GIF89a')) return out('gif', { width: u16le(b, 6), height: u16le(b, 8) });
  if (b.length >= 30 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') {
    const chunk = ascii(b, 12, 4);
    if (chunk === 'VP8 ') return out('webp', { width: u16le(b, 26) & 0x3fff, height: u16le(b, 28) & 0x3fff });
    if (chunk === 'VP8L') {
      const bits = (b[21] ?? 0) | ((b[22] ?? 0) << 8) | ((b[23] ?? 0) << 16) | ((b[24] ?? 0) << 24);
      return out('webp', { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 });
    }
    if (chunk === 'VP8X') return out('webp', { width: u24le(b, 24) + 1, height: u24le(b, 27) + 1 });
    return out('webp');
  }
  if (b.length >= 12 && ascii(b, 4, 4) === 'ftyp' && ['avif', 'avis'].includes(ascii(b, 8, 4))) return out('avif');
  if (b.length >= 4) {
    const tag = ascii(b, 0, 4);
    if (tag === 'wOFF') return out('woff');
    if (tag === 'wOF2') return out('woff2');
    if (tag === 'OTTO') return out('otf');
    if (tag === 'true' || (b[0] === 0 && b[1] === 1 && b[2] === 0 && b[3] === 0)) return out('ttf');
  }
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 1024)).replace(/^\uFEFF/, '').trimStart();
  if (/^(<\?xml[^>]*>\s*)?(<!--[\s\S]*?-->\s*)*(<!DOCTYPE svg[^>]*>\s*)?<svg[\s>]/i.test(head)) return out('svg');
  return out('unknown');
}
