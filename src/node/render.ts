import { createCanvas, type Canvas } from '@napi-rs/canvas';
import { performance } from 'node:perf_hooks';
import type { EngineHost } from '../engine/host.js';
import { isOpaqueBackground } from '../engine/paint/background.js';
import { buildPlan, buildPlans, checkPlanInput } from '../engine/plan/build.js';
import type { ImageDataLike } from '../engine/canvas.js';
import { drawScene, type DrawnScene } from '../engine/render.js';
import type { FontChoice, ScenePlan } from '../engine/plan/types.js';
import { AdsmithError } from '../errors/catalogue.js';
import { encode, MIME_TYPES } from './encode.js';
import { FontLibrary, formatFamilyList } from './fonts.js';
import { ImageLoader, type ImageLoaderOptions } from './images.js';
import { DEFAULT_TEXT_RENDERER, useTextRenderer, type TextRenderer } from './text-renderer.js';
import { PNG_MODES, type OutputOptions, type RenderedScene, type RenderRequest } from './types.js';

export const DEFAULT_OUTPUT: OutputOptions = { format: 'png', scale: 1, pngMode: 'fast', quality: 90 };

/** Fill defaults and reject impossible output options with a message naming the option. */
export function normalizeOutput(output: Partial<OutputOptions> = {}): OutputOptions {
  const o = { ...DEFAULT_OUTPUT, ...Object.fromEntries(Object.entries(output).filter(([, v]) => v !== undefined)) } as OutputOptions;
  if (!['png', 'jpeg', 'webp'].includes(o.format)) throw new AdsmithError('ADS_BAD_OPTION', { option: 'output_format', problem: 'must be png, jpeg or webp.' });
  if (o.scale !== 1 && o.scale !== 2) throw new AdsmithError('ADS_BAD_OPTION', { option: 'scale', problem: 'must be 1 or 2.' });
  if (!PNG_MODES.includes(o.pngMode)) throw new AdsmithError('ADS_BAD_OPTION', { option: 'png_mode', problem: 'must be fast, balanced or small.' });
  if (!Number.isInteger(o.quality) || o.quality < 1 || o.quality > 100) throw new AdsmithError('ADS_BAD_OPTION', { option: 'quality', problem: 'must be an integer from 1 to 100.' });
  if (o.maxKb !== undefined && (!Number.isFinite(o.maxKb) || o.maxKb < 1 || o.maxKb > 100_000)) {
    throw new AdsmithError('ADS_BAD_OPTION', { option: 'max_kb', problem: 'must be a number of kilobytes from 1 to 100000.' });
  }
  return o;
}

/** Everything that can fail a request before rendering starts: brand, overrides, output options. */
export function checkRenderRequest(req: RenderRequest): void {
  checkPlanInput(req);
  normalizeOutput(req.output);
}

export type RendererOptions = ImageLoaderOptions & {
  /** How Skia draws glyphs (default: ADSMITH_TEXT_RENDERER, else system); see src/node/text-renderer.ts. */
  textRenderer?: TextRenderer;
};

/**
 * The Node host of the engine: Skia canvases (@napi-rs/canvas), the shipped
 * font files (FontLibrary), images decoded by sharp and SVGs rasterized by
 * resvg (ImageLoader), and the encoders. The orchestration (plan → fonts and
 * images → layout → paint) is the engine's own (src/engine/render.ts), shared
 * with the browser host. One instance per thread; it caches fonts and decoded
 * images across requests.
 */
export class Renderer {
  readonly fonts = new FontLibrary();
  readonly images: ImageLoader;
  private readonly host: EngineHost<Canvas>;
  private readonly textRenderer: TextRenderer;
  /**
   * Canvases between renders. A new 1080×1080 canvas is 4.5 MiB the kernel must hand over page by page as
   * it is first painted; a kept one is already mapped (drawScene clears it, resizing only when the size
   * changes). A render takes one for itself, so renders in progress at the same time never share one.
   * Opaque canvases (getContext alpha: false) are for scenes whose background leaves no pixel transparent:
   * they draw the same pixels, and reading 1080×1080 of them back costs a copy where an alpha canvas
   * un-premultiplies every pixel (about 4× the time, bench/render.bench.ts's paint column).
   */
  private readonly canvases: { opaque: Canvas[]; alpha: Canvas[] } = { opaque: [], alpha: [] };

  constructor(private readonly options: RendererOptions = {}) {
    this.images = new ImageLoader(options);
    this.host = nodeHost(this.fonts, this.images);
    // The default is `system`; the server passes ADSMITH_TEXT_RENDERER from its configuration, the CLI from its environment.
    this.textRenderer = options.textRenderer ?? DEFAULT_TEXT_RENDERER;
    useTextRenderer(this.textRenderer);
  }

  plans(req: RenderRequest): ScenePlan[] {
    return buildPlans(req);
  }

  async render(req: RenderRequest): Promise<RenderedScene[]> {
    const plans = this.plans(req);
    const indexes = req.scenes ?? plans.map((_, i) => i);
    const out: RenderedScene[] = [];
    for (const i of indexes) out.push(await this.renderPlan(req, plans[i], i));
    return out;
  }

  /** One scene: only its plan is built (a job renders each scene on its own). */
  async renderScene(req: RenderRequest, index: number): Promise<RenderedScene> {
    return this.renderPlan(req, buildPlan(req, index), index);
  }

  private async renderPlan(req: RenderRequest, planned: ScenePlan | undefined, index: number): Promise<RenderedScene> {
    if (!planned) throw new AdsmithError('ADS_BAD_OPTION', { option: 'scenes', problem: `has no scene ${index}; the template has ${req.template.scenes.length}.` });
    const output = normalizeOutput(req.output);
    useTextRenderer(this.textRenderer); // process-wide: another Renderer may have switched it
    // An opaque canvas only when the background covers every device pixel: a whole number of them.
    const opaque = isOpaqueBackground(planned.background) && Number.isInteger(planned.width * output.scale) && Number.isInteger(planned.height * output.scale);
    const kept = opaque ? this.canvases.opaque : this.canvases.alpha;
    const canvas = kept.pop() ?? newCanvas(opaque);
    let drawn: DrawnScene<Canvas>;
    let pixels: ImageDataLike;
    let t0: number;
    try {
      drawn = await drawScene(this.host, planned, { scale: output.scale, brand: req.brand, requiresBrand: req.template.requires_brand, canvas });
      // Skia defers drawing until pixels are read: the readback belongs to paint.
      t0 = performance.now();
      pixels = drawn.ctx.getImageData(0, 0, drawn.canvas.width, drawn.canvas.height);
    } finally {
      if (kept.length < CANVASES_KEPT) kept.push(canvas);
    }
    const t1 = performance.now();
    const bytes = await encode({ data: pixels.data, width: pixels.width, height: pixels.height, opaque }, output, drawn.plan.name);
    const t2 = performance.now();
    return {
      key: drawn.plan.key,
      index,
      name: drawn.plan.name,
      width: drawn.canvas.width,
      height: drawn.canvas.height,
      format: output.format,
      mimeType: MIME_TYPES[output.format],
      bytes,
      warnings: drawn.warnings,
      timings: { layout: drawn.timings.layout, paint: drawn.timings.paint + (t1 - t0), encode: t2 - t1 },
    };
  }
}

/** Canvases of each kind a Renderer keeps for its next render (a thread renders one scene at a time). */
const CANVASES_KEPT = 1;

/** A canvas whose context is made now, opaque or not: a context keeps the attributes of its first getContext. */
function newCanvas(opaque: boolean): Canvas {
  const canvas = createCanvas(1, 1);
  canvas.getContext('2d', { alpha: !opaque });
  return canvas;
}

/** Texts the host remembers the font answers for (a server's scenes repeat a few headings and labels). */
const FONT_MEMO_ENTRIES = 1024;

/** The engine host over Skia, the font library and the image loader. */
function nodeHost(fonts: FontLibrary, images: ImageLoader): EngineHost<Canvas> {
  /** Runs a font-library call and answers the warnings it added. */
  const warningsOf = (call: () => void): string[] => {
    const before = fonts.warnings.length;
    call();
    return fonts.warnings.slice(before);
  };
  // The font library answers from the files on disk (a directory listing per family and call): a scene asks
  // the same questions on every render, and the answers only change when a brand registers its own fonts.
  const ensured = new Set<string>();
  const uncoveredMemo = new Map<string, string[]>();
  const choiceKey = (choice: FontChoice) => `${choice.families.join('\u0000')}\u0001${choice.weight}\u0001${choice.style}`;
  return {
    createCanvas: (width, height) => createCanvas(width, height),
    loadFonts: (choice, text) => {
      // Registering is idempotent: after the first call for a choice and text there is nothing to load and no new warning.
      const key = `${choiceKey(choice)}\u0002${text}`;
      if (ensured.has(key)) return [];
      // Only the files this text needs: a Latin headline does not register the Thai, CJK or emoji files.
      const warnings = warningsOf(() => fonts.ensure(choice, text));
      if (ensured.size >= FONT_MEMO_ENTRIES) ensured.delete(ensured.values().next().value!);
      ensured.add(key);
      return warnings;
    },
    readFontSource: (src) => images.readSource(src),
    registerOwnedFamily: (family, files) => {
      let alias: string | null = null;
      const warnings = warningsOf(() => {
        alias = fonts.registerOwnedFamily(family, files);
      });
      uncoveredMemo.clear(); // an alias may have gained faces
      return { alias, warnings };
    },
    formatFamilies: formatFamilyList,
    loadImages: async (requests) => {
      const warnings: string[] = [];
      const release = await images.prepare(requests, warnings);
      return { lookup: images.lookup(), release, warnings };
    },
    uncovered: (text, choice) => {
      const key = `${choiceKey(choice)}\u0002${text}`;
      let missing = uncoveredMemo.get(key);
      if (!missing) {
        missing = fonts.uncovered(text, choice);
        if (uncoveredMemo.size >= FONT_MEMO_ENTRIES) uncoveredMemo.delete(uncoveredMemo.keys().next().value!);
        uncoveredMemo.set(key, missing);
      }
      return [...missing];
    },
    now: () => performance.now(),
  };
}
