import { createCanvas } from '@napi-rs/canvas';
import { performance } from 'node:perf_hooks';
import type { Context2D } from '../engine/canvas.js';
import { layoutScene } from '../engine/layout/scene.js';
import { paintScene } from '../engine/paint/scene.js';
import { assetRequests } from '../engine/plan/assets.js';
import { buildPlans, checkPlanInput } from '../engine/plan/build.js';
import type { ScenePlan } from '../engine/plan/types.js';
import { AdsmithError } from '../errors/catalogue.js';
import { encode, MIME_TYPES } from './encode.js';
import { FontLibrary, formatFamilyList } from './fonts.js';
import { ImageLoader, type ImageLoaderOptions } from './images.js';
import type { OutputOptions, RenderedScene, RenderRequest } from './types.js';

export const DEFAULT_OUTPUT: OutputOptions = { format: 'png', scale: 1, pngMode: 'fast', quality: 90 };

/** Fill defaults and reject impossible output options with a message naming the option. */
export function normalizeOutput(output: Partial<OutputOptions> = {}): OutputOptions {
  const o = { ...DEFAULT_OUTPUT, ...Object.fromEntries(Object.entries(output).filter(([, v]) => v !== undefined)) } as OutputOptions;
  if (!['png', 'jpeg', 'webp'].includes(o.format)) throw new AdsmithError('ADS_BAD_OPTION', { option: 'output_format', problem: 'must be png, jpeg or webp.' });
  if (o.scale !== 1 && o.scale !== 2) throw new AdsmithError('ADS_BAD_OPTION', { option: 'scale', problem: 'must be 1 or 2.' });
  if (o.pngMode !== 'fast' && o.pngMode !== 'small') throw new AdsmithError('ADS_BAD_OPTION', { option: 'png_mode', problem: 'must be fast or small.' });
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

export type RendererOptions = ImageLoaderOptions;

/**
 * The Node host of the engine: loads fonts and images, runs layout and paint
 * on @napi-rs/canvas, and encodes. One instance per thread; it caches fonts
 * and decoded images across requests.
 */
export class Renderer {
  readonly fonts = new FontLibrary();
  readonly images: ImageLoader;

  constructor(private readonly options: RendererOptions = {}) {
    this.images = new ImageLoader(options);
  }

  plans(req: RenderRequest): ScenePlan[] {
    return buildPlans(req);
  }

  async render(req: RenderRequest): Promise<RenderedScene[]> {
    const plans = this.plans(req);
    const indexes = req.scenes ?? plans.map((_, i) => i);
    const out: RenderedScene[] = [];
    for (const i of indexes) out.push(await this.renderPlan(req, plans, i));
    return out;
  }

  async renderScene(req: RenderRequest, index: number): Promise<RenderedScene> {
    return this.renderPlan(req, this.plans(req), index);
  }

  /** Registers the brand's own fonts; answers each family's alias (see FontLibrary.registerOwnedFamily). */
  private async registerBrandFonts(req: RenderRequest): Promise<Map<string, string>> {
    const byFamily = new Map<string, Array<{ weight: number; style: 'normal' | 'italic'; bytes: Uint8Array; label: string }>>();
    for (const file of req.brand?.fonts.files ?? []) {
      try {
        const bytes = await this.images.readSource(file.src);
        const list = byFamily.get(file.family) ?? [];
        list.push({ weight: file.weight, style: file.style ?? 'normal', bytes, label: file.src });
        byFamily.set(file.family, list);
      } catch (err) {
        this.fonts.warnings.push(`Font "${file.family}" could not be loaded from ${file.src.slice(0, 80)}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    const aliases = new Map<string, string>();
    for (const [family, files] of byFamily) {
      const alias = this.fonts.registerOwnedFamily(family, files);
      if (alias) aliases.set(family, alias);
    }
    return aliases;
  }

  private async renderPlan(req: RenderRequest, plans: ScenePlan[], index: number): Promise<RenderedScene> {
    const planned = plans[index];
    if (!planned) throw new AdsmithError('ADS_BAD_OPTION', { option: 'scenes', problem: `has no scene ${index}; the template has ${plans.length}.` });
    const output = normalizeOutput(req.output);
    const scale = output.scale;
    const warnings: string[] = [];

    const fontWarningsBefore = this.fonts.warnings.length;
    const brandFonts = req.template.requires_brand ? await this.registerBrandFonts(req) : new Map<string, string>();
    const plan = withFontAliases(planned, brandFonts);
    for (const layer of plan.layers) if (layer.kind === 'text') this.fonts.ensure(layer.font);
    const releaseImages = await this.images.prepare(assetRequests(plan, scale), warnings);
    try {
      return await this.drawPlan(plan, index, output, warnings, fontWarningsBefore);
    } finally {
      releaseImages();
    }
  }

  private async drawPlan(plan: ScenePlan, index: number, output: ReturnType<typeof normalizeOutput>, warnings: string[], fontWarningsBefore: number): Promise<RenderedScene> {
    const scale = output.scale;

    const canvas = createCanvas(Math.round(plan.width * scale), Math.round(plan.height * scale));
    const ctx = canvas.getContext('2d') as unknown as Context2D;

    const t0 = performance.now();
    const layout = layoutScene(ctx, plan, formatFamilyList);
    const t1 = performance.now();
    warnings.push(...layout.warnings);
    for (const layer of plan.layers) {
      if (layer.kind !== 'text') continue;
      const missing = this.fonts.uncovered(layer.text, layer.font);
      if (missing.length) {
        const list = missing.slice(0, 8).map((c) => `${c} (U+${c.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`);
        warnings.push(`${plan.key} "${layer.id}": no shipped font has ${list.join(', ')}; they may be drawn with a system font or as boxes.`);
      }
    }
    warnings.push(...paintScene(ctx, plan, layout, this.images.lookup(), scale));
    // Skia defers drawing until pixels are read: the readback belongs to paint.
    const pixels = ctx.getImageData(0, 0, canvas.width, canvas.height);
    const t2 = performance.now();
    const bytes = await encode(pixels, output, plan.name);
    const t3 = performance.now();
    warnings.push(...this.fonts.warnings.slice(fontWarningsBefore));

    return {
      key: plan.key,
      index,
      name: plan.name,
      width: canvas.width,
      height: canvas.height,
      format: output.format,
      mimeType: MIME_TYPES[output.format],
      bytes,
      warnings,
      timings: { layout: t1 - t0, paint: t2 - t1, encode: t3 - t2 },
    };
  }
}

/** The plan with brand-owned families renamed to the aliases they were registered under. */
function withFontAliases(plan: ScenePlan, aliases: Map<string, string>): ScenePlan {
  if (aliases.size === 0) return plan;
  return {
    ...plan,
    layers: plan.layers.map((layer) =>
      layer.kind === 'text' ? { ...layer, font: { ...layer.font, families: layer.font.families.map((f) => aliases.get(f) ?? f) } } : layer,
    ),
  };
}
