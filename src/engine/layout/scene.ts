import type { Context2D } from '../canvas.js';
import type { ScenePlan } from '../plan/types.js';
import { layoutText, quoteFamilies, type FamilyListFormatter, type TextLayout } from './text.js';

/** Everything measured for one scene; painting only reads it. */
export interface SceneLayout {
  texts: Map<string, TextLayout>;
  warnings: string[];
}

export function layoutScene(ctx: Context2D, plan: ScenePlan, formatFamilies: FamilyListFormatter = quoteFamilies): SceneLayout {
  const texts = new Map<string, TextLayout>();
  const warnings: string[] = [];
  for (const layer of plan.layers) {
    if (layer.kind !== 'text') continue;
    const layout = layoutText(ctx, layer, formatFamilies);
    texts.set(layer.id, layout);
    if (layout.belowMinimum) {
      warnings.push(`${plan.key} "${layer.id}": the box is too small for one line at ${layer.size.min}px; drawn at ${layout.fontSize.toFixed(1)}px.`);
    } else if (layout.truncated) {
      warnings.push(`${plan.key} "${layer.id}": the text did not fit at ${layer.size.min}px and was shortened with an ellipsis.`);
    }
  }
  return { texts, warnings };
}
