import type { Context2D } from '../canvas.js';
import type { SceneLayout } from '../layout/scene.js';
import type { ScenePlan } from '../plan/types.js';
import type { AssetLookup } from './assets.js';
import { paintBackground } from './background.js';
import { paintImage } from './image.js';
import { chooseLogoVariant, paintLogo } from './logo.js';
import { withBoxTransform } from './path.js';
import { paintShape } from './shape.js';
import { paintText } from './text.js';

/**
 * Paint a laid-out scene onto a canvas of (width × scale, height × scale).
 * Returns warnings (an image that was not available, …); never throws for
 * missing assets, so one bad element does not lose the whole ad.
 */
export function paintScene(ctx: Context2D, plan: ScenePlan, layout: SceneLayout, assets: AssetLookup, scale: number): string[] {
  const warnings: string[] = [];
  ctx.save();
  ctx.scale(scale, scale);
  paintBackground(ctx, plan.background, plan.width, plan.height, scale, assets);
  for (const layer of plan.layers) {
    withBoxTransform(ctx, layer.box, () => {
      switch (layer.kind) {
        case 'text': {
          const text = layout.texts.get(layer.id);
          if (text) paintText(ctx, text);
          break;
        }
        case 'image':
        case 'smartImage':
          if (!paintImage(ctx, layer, scale, assets)) warnings.push(`${plan.key} "${layer.id}": image ${abbreviate(layer.src)} was not loaded.`);
          break;
        case 'logo': {
          const variant = chooseLogoVariant(layer, ctx, scale);
          if (!paintLogo(ctx, layer, variant, scale, assets)) warnings.push(`${plan.key} "${layer.id}": logo was not loaded.`);
          break;
        }
        case 'shape':
          paintShape(ctx, layer);
          break;
      }
    });
  }
  ctx.restore();
  return warnings;
}

function abbreviate(src: string): string {
  return src.length > 80 ? `${src.slice(0, 77)}…` : src;
}
