import { createApi, type Api } from '../engine-host/api.js';
import type { FontInfo } from '../../../src/engine/script-coverage.js';
import { token } from '../playground/session.js';

export type { FontInfo, ScriptCoverage } from '../../../src/engine/script-coverage.js';

/**
 * What the brand kit editor shows of a brand's files, read through the engine's routes so it sees
 * them as rendering will: logos rasterized by the server (resvg for SVG, sharp for PNG) as PNG, font
 * files' bytes registered with the FontFace API, and a font's script coverage from its cmap.
 */

let api: { token: string; api: Api } | null = null;
function currentApi(): Api {
  const t = token.value ?? '';
  if (api?.token !== t) api = { token: t, api: createApi({ token: t }) };
  return api.api;
}

function cached<T>(cache: Map<string, Promise<T>>, key: string, load: () => Promise<T>): Promise<T> {
  let p = cache.get(key);
  if (!p) {
    p = load();
    p.catch(() => cache.delete(key));
    cache.set(key, p);
  }
  return p;
}

const logoUrls = new Map<string, Promise<string>>();

/** An object URL of a logo drawn to fit w×h device pixels, as the engine draws it. */
export function logoPreview(src: string, w: number, h: number): Promise<string> {
  return cached(logoUrls, `${src}@${w}x${h}`, async () => {
    const q = new URLSearchParams({ src, w: String(w), h: String(h) });
    return URL.createObjectURL(await (await currentApi().get(`/v1/engine/images?${q.toString()}`)).blob());
  });
}

const faces = new Map<string, Promise<string>>();
let faceCount = 0;

/** Registers a font file with the page (FontFace) under a private name and answers that name. */
export function previewFace(src: string, weight: number, style: 'normal' | 'italic'): Promise<string> {
  return cached(faces, `${src}|${weight}|${style}`, async () => {
    const bytes = await (await currentApi().get(`/v1/engine/font-sources?${new URLSearchParams({ src }).toString()}`)).arrayBuffer();
    const family = `adsmith-brand-preview-${++faceCount}`;
    const face = new FontFace(family, bytes, { weight: String(weight), style });
    await face.load();
    document.fonts.add(face);
    return family;
  });
}

const infos = new Map<string, Promise<FontInfo>>();

/** A font file's names, weight, style and script coverage (GET /v1/engine/font-info, read from its cmap). */
export function fontInfo(src: string): Promise<FontInfo> {
  return cached(infos, src, () => currentApi().json<FontInfo>(`/v1/engine/font-info?${new URLSearchParams({ src }).toString()}`));
}

let bundled: Promise<string[]> | null = null;

/** The families Adsmith ships (what a brand may name without a file of its own). */
export function bundledFamilies(): Promise<string[]> {
  bundled ??= currentApi()
    .json<{ families: Array<{ family: string }> }>('/v1/engine/fonts')
    .then((b) => b.families.map((f) => f.family).filter((f) => !/Emoji|Complete/.test(f)));
  return bundled;
}
