import { context2d, type CanvasLike, type Context2D } from './canvas.js';
import type { EngineHost, OwnedFontFile } from './host.js';
import { layoutScene, type SceneLayout } from './layout/scene.js';
import { applyTransform } from './layout/segment.js';
import { ELLIPSIS } from './layout/text.js';
import type { BrandDocument } from './model/brand.js';
import { paintScene } from './paint/scene.js';
import { assetRequests } from './plan/assets.js';
import type { ScenePlan, TextLayerPlan } from './plan/types.js';

/** A scene drawn onto a host canvas; the host reads or encodes its pixels. */
export interface DrawnScene<C extends CanvasLike = CanvasLike> {
  plan: ScenePlan;
  layout: SceneLayout;
  canvas: C;
  ctx: Context2D;
  /** Image-loading, layout, missing-glyph, paint and font warnings, in that order. */
  warnings: string[];
  timings: { layout: number; paint: number };
}

export interface DrawOptions<C extends CanvasLike> {
  /** Device pixels per scene pixel (1, 2, or any positive number in the editor). */
  scale: number;
  /** The brand whose own font files the scene may use (null: none). */
  brand: BrandDocument | null;
  /** Draw onto this canvas (resized to the scene × scale) instead of a new one from the host. */
  canvas?: C;
}

/**
 * Registers a brand's own fonts through the host and answers each family's alias.
 * A file that cannot be read or parsed becomes a warning and the chain's next font draws.
 */
export async function registerBrandFonts(host: EngineHost, brand: BrandDocument | null, warnings: string[]): Promise<Map<string, string>> {
  const byFamily = new Map<string, OwnedFontFile[]>();
  for (const file of brand?.fonts.files ?? []) {
    try {
      const bytes = await host.readFontSource(file.src);
      const list = byFamily.get(file.family) ?? [];
      list.push({ weight: file.weight, style: file.style ?? 'normal', bytes, label: file.src });
      byFamily.set(file.family, list);
    } catch (err) {
      warnings.push(`Font "${file.family}" could not be loaded from ${file.src.slice(0, 80)}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const aliases = new Map<string, string>();
  for (const [family, files] of byFamily) {
    const { alias, warnings: more } = await host.registerOwnedFamily(family, files);
    warnings.push(...more);
    if (alias) aliases.set(family, alias);
  }
  return aliases;
}

/** The plan with brand-owned families renamed to the aliases they were registered under. */
export function withFontAliases(plan: ScenePlan, aliases: ReadonlyMap<string, string>): ScenePlan {
  if (aliases.size === 0) return plan;
  return {
    ...plan,
    layers: plan.layers.map((layer) =>
      layer.kind === 'text' ? { ...layer, font: { ...layer.font, families: layer.font.families.map((f) => aliases.get(f) ?? f) } } : layer,
    ),
  };
}

/** Every character layout may draw or measure for a text layer: its text as transformed, the ellipsis, the metrics probe. */
export function charactersDrawn(layer: TextLayerPlan): string {
  return `${applyTransform(layer.text.replace(/\r\n?/g, '\n'), layer.transform).normalize('NFC')}${ELLIPSIS}Hg `;
}

/** `é (U+00E9)`; a cluster names each of its code points. */
function describeMissing(c: string): string {
  return `${c} (${[...c].map((ch) => `U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')}`).join(' ')})`;
}

/** Past this many, the warning names the first ones and how many more (a text of 100 000 unknown characters stays readable). */
const MISSING_LISTED = 500;

/**
 * One warning per text layer: how many characters (or clusters) no shipped font draws, and every one of them
 * (up to MISSING_LISTED), so the job's warnings and the CLI carry the whole list.
 */
export function missingGlyphsWarning(sceneKey: string, layerId: string, missing: readonly string[]): string {
  const count = missing.length;
  const listed = missing.slice(0, MISSING_LISTED).map(describeMissing).join(', ');
  const more = count > MISSING_LISTED ? ` and ${count - MISSING_LISTED} more` : '';
  const noun = count === 1 ? 'character' : 'characters';
  return `${sceneKey} "${layerId}": ${count} ${noun} no shipped font has: ${listed}${more}; they are drawn as boxes or by a system font.`;
}

/** Warnings for characters no font of a text layer's chain has (when the host can tell). */
function glyphWarnings(host: EngineHost, plan: ScenePlan): string[] {
  const out: string[] = [];
  if (!host.uncovered) return out;
  for (const layer of plan.layers) {
    if (layer.kind !== 'text') continue;
    const missing = host.uncovered(applyTransform(layer.text, layer.transform), layer.font);
    if (missing.length) out.push(missingGlyphsWarning(plan.key, layer.id, missing));
  }
  return out;
}

/**
 * plan → fonts and images → layout → paint, on whichever host runs it. The
 * brand's own fonts are registered only for templates that take a brand (the
 * plan resolves brand roles only then).
 */
export async function drawScene<C extends CanvasLike>(host: EngineHost<C>, planned: ScenePlan, options: DrawOptions<C> & { requiresBrand: boolean }): Promise<DrawnScene<C>> {
  const { scale } = options;
  const fontWarnings: string[] = [];
  const brandFonts = options.requiresBrand ? await registerBrandFonts(host, options.brand, fontWarnings) : new Map<string, string>();
  const plan = withFontAliases(planned, brandFonts);
  // Fonts and images load together: in the browser each is a fetch, and a first render waits for the slowest, not the sum.
  const fontLoads = Promise.all(plan.layers.flatMap((layer) => (layer.kind === 'text' ? [host.loadFonts(layer.font, charactersDrawn(layer))] : [])));
  const [fonts, loaded] = await Promise.allSettled([fontLoads, host.loadImages(assetRequests(plan, scale))]);
  if (fonts.status === 'rejected' || loaded.status === 'rejected') {
    if (loaded.status === 'fulfilled') loaded.value.release();
    throw fonts.status === 'rejected' ? fonts.reason : (loaded as PromiseRejectedResult).reason;
  }
  for (const warnings of fonts.value) fontWarnings.push(...warnings);
  const images = loaded.value;
  try {
    const width = Math.round(plan.width * scale);
    const height = Math.round(plan.height * scale);
    let canvas: C;
    let ctx: Context2D;
    if (options.canvas) {
      canvas = options.canvas;
      ctx = context2d(canvas);
      if (canvas.width === width && canvas.height === height && ctx.reset) {
        // Same size: clear and reset the state in place. Assigning a size does the same but gives Skia a new
        // surface (a new 4.5 MiB allocation at 1080×1080, its pages faulted in again as they are painted).
        ctx.reset();
      } else {
        // Assigning a size clears the canvas and resets its state, even when the size is unchanged.
        canvas.width = width;
        canvas.height = height;
      }
    } else {
      canvas = host.createCanvas(width, height);
      ctx = context2d(canvas);
    }
    const t0 = host.now();
    const layout = layoutScene(ctx, plan, host.formatFamilies);
    const t1 = host.now();
    const warnings = [...images.warnings, ...layout.warnings, ...glyphWarnings(host, plan)];
    warnings.push(...paintScene(ctx, plan, layout, images.lookup, scale));
    const t2 = host.now();
    warnings.push(...fontWarnings);
    return { plan, layout, canvas, ctx, warnings, timings: { layout: t1 - t0, paint: t2 - t1 } };
  } finally {
    images.release();
  }
}
