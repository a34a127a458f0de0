import type { AssetRequest } from '../paint/assets.js';
import type { ScenePlan } from './types.js';

/** Every image a scene will draw, with the device size it is drawn at (for crisp SVG rasterization). */
export function assetRequests(plan: ScenePlan, scale: number): AssetRequest[] {
  const out: AssetRequest[] = [];
  const px = (v: number) => Math.max(1, Math.round(v * scale));
  if (plan.background.kind === 'image') {
    out.push({ src: plan.background.src, layerId: 'background', deviceWidth: px(plan.width), deviceHeight: px(plan.height) });
  }
  for (const layer of plan.layers) {
    const size = { deviceWidth: px(layer.box.width), deviceHeight: px(layer.box.height) };
    if (layer.kind === 'image' || layer.kind === 'smartImage') out.push({ src: layer.src, layerId: layer.id, ...size });
    if (layer.kind === 'logo') {
      out.push({ src: layer.onLight, layerId: layer.id, ...size });
      if (layer.onDark !== layer.onLight) out.push({ src: layer.onDark, layerId: layer.id, ...size });
    }
  }
  return out;
}
