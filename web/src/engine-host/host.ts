import type { EngineHost } from '../../../src/engine/host.js';
import type { Api } from './api.js';
import { BrowserFonts } from './fonts.js';
import { BrowserImages } from './images.js';

export type BrowserCanvas = HTMLCanvasElement | OffscreenCanvas;

/** A canvas for the engine to draw on when the caller gives none (thumbnails, tests). */
function newCanvas(width: number, height: number): BrowserCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const canvas = document.createElement('canvas');
  canvas.width = width;
  canvas.height = height;
  return canvas;
}

/** The engine host over the browser's Canvas 2D, FontFace and ImageBitmap, with fonts and images from the server. */
export function browserHost(api: Api): { host: EngineHost<BrowserCanvas>; fonts: BrowserFonts; images: BrowserImages } {
  const fonts = new BrowserFonts(api);
  const images = new BrowserImages(api);
  // A brand's own font files are read once per page: the engine asks for them on every render.
  const fontSources = new Map<string, Promise<Uint8Array>>();
  const readFontSource = (src: string): Promise<Uint8Array> => {
    let pending = fontSources.get(src);
    if (!pending) {
      pending = api.get(`/v1/engine/font-sources?${new URLSearchParams({ src }).toString()}`).then(async (res) => new Uint8Array(await res.arrayBuffer()));
      pending.catch(() => fontSources.delete(src));
      fontSources.set(src, pending);
    }
    return pending;
  };
  const host: EngineHost<BrowserCanvas> = {
    createCanvas: newCanvas,
    loadFonts: (choice, text) => fonts.load(choice, text),
    readFontSource,
    registerOwnedFamily: (family, files) => fonts.registerOwned(family, files),
    formatFamilies: fonts.formatFamilies,
    loadImages: (requests) => images.load(requests),
    now: () => performance.now(),
  };
  return { host, fonts, images };
}
