import type { CanvasLike } from './canvas.js';
import type { FamilyListFormatter } from './layout/text.js';
import type { AssetLookup, AssetRequest } from './paint/assets.js';
import type { FontChoice } from './plan/types.js';

/** One file of a brand's own font family, as loaded by the host. */
export interface OwnedFontFile {
  weight: number;
  style: 'normal' | 'italic';
  bytes: Uint8Array;
  /** Where it came from, for warnings. */
  label: string;
}

/** Images loaded for one scene: a synchronous view for painting, and a release once painted (the host may evict them then). */
export interface LoadedImages {
  lookup: AssetLookup;
  release(): void;
  /** What loading changed (e.g. references an SVG made outside itself, removed); they lead the scene's warnings. */
  warnings: string[];
}

/**
 * What the engine needs from where it runs. Node (src/node/render.ts: Skia,
 * sharp, resvg, the shipped font files) and the browser (web/src/engine-host:
 * Canvas 2D, FontFace, ImageBitmap, the same files served by Adsmith) each
 * implement it; everything else — plan, layout, paint — is shared, which is
 * what makes the editor's canvas and the server's PNG agree.
 */
export interface EngineHost<C extends CanvasLike = CanvasLike> {
  /** A blank canvas of this many device pixels. */
  createCanvas(width: number, height: number): C;
  /**
   * Makes a font choice drawable at the nearest weight for `text` (every character the layer may draw:
   * its text as transformed, the ellipsis, the metrics probe); answers warnings (a file that failed).
   * A host may load only the faces that draw those characters.
   */
  loadFonts(choice: FontChoice, text: string): Promise<string[]> | string[];
  /** Reads the bytes of a brand font file source (asset:, data:, http(s) …). */
  readFontSource(src: string): Promise<Uint8Array>;
  /**
   * Registers a brand's own family and answers the alias it is drawn under
   * (null when no file could be used). Aliases keep two brands that both name
   * different files "House Sans" apart.
   */
  registerOwnedFamily(family: string, files: OwnedFontFile[]): Promise<{ alias: string | null; warnings: string[] }> | { alias: string | null; warnings: string[] };
  /** The CSS font-family list for a family chain, naming the aliases the host registered fonts under. */
  formatFamilies: FamilyListFormatter;
  /** Loads (and caches) every image of a scene at its device size; throws an AdsmithError naming the element when one cannot be loaded. */
  loadImages(requests: readonly AssetRequest[]): Promise<LoadedImages>;
  /** Characters of `text` no font of the chain can draw (optional: the browser host cannot tell). */
  uncovered?(text: string, choice: FontChoice): string[];
  /** A monotonic clock in milliseconds, for timings. */
  now(): number;
}
