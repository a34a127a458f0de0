import type { BrandDocument } from '../engine/model/brand.js';
import type { TemplateDocument } from '../engine/model/template.js';

/** One entry of the contract's generate `elements[]`: fills a slot everywhere, or one element by id. */
export interface ElementOverride {
  layer_type?: string;
  content_type?: string | null;
  content: string;
  id?: string;
  /** BCP 47 language of the content: picks CJK glyph forms. */
  locale?: string;
}

export type OutputFormat = 'png' | 'jpeg' | 'webp';

export type PngMode = 'fast' | 'balanced' | 'small';
export const PNG_MODES: readonly PngMode[] = ['fast', 'balanced', 'small'];

export interface OutputOptions {
  format: OutputFormat;
  /** Pixel density: 2 renders a 1080×1080 scene as 2160×2160. */
  scale: 1 | 2;
  /** Largest file size in KB; the encoder picks the best quality under it. */
  maxKb?: number;
  /**
   * PNG trade-off: `fast` (fdeflate, larger files; the default), `balanced` (about Chromium's file size at
   * several times fast's time: zlib level 3, adaptive filters, RGB when opaque) or `small` (zlib level 9 +
   * adaptive filters). Figures: bench/png-modes.bench.ts.
   */
  pngMode: PngMode;
  /** JPEG/WebP quality 1–100 when no size budget is set. */
  quality: number;
}

export interface RenderRequest {
  template: TemplateDocument;
  brand: BrandDocument | null;
  elements?: ElementOverride[];
  output?: Partial<OutputOptions>;
  /** Scene indexes (0-based) to render; all when absent. */
  scenes?: number[];
}

export interface SceneTimings {
  layout: number;
  paint: number;
  encode: number;
}

export interface RenderedScene {
  key: string;
  index: number;
  name: string;
  /** Output pixel size (scene size × scale). */
  width: number;
  height: number;
  format: OutputFormat;
  mimeType: string;
  bytes: Uint8Array;
  warnings: string[];
  timings: SceneTimings;
}

/** Reads the bytes behind an http(s) URL; the server injects its guarded fetcher here. */
export type RemoteFetcher = (url: string) => Promise<Uint8Array>;
