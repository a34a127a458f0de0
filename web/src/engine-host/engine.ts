import { context2d } from '../../../src/engine/canvas.js';
import { layoutScene } from '../../../src/engine/layout/scene.js';
import { buildPlans } from '../../../src/engine/plan/build.js';
import { AdsmithError } from '../../../src/errors/catalogue.js';
import { assetRequests } from '../../../src/engine/plan/assets.js';
import type { ScenePlan } from '../../../src/engine/plan/types.js';
import { charactersDrawn, drawScene, registerBrandFonts, withFontAliases } from '../../../src/engine/render.js';
import { createApi, type ApiOptions } from './api.js';
import { browserHost, type BrowserCanvas } from './host.js';
import type { BrowserEngine, MeasuredScene, RenderedSceneInfo, SceneInput } from './types.js';

/**
 * The engine in the browser: the same plan, layout and paint code as the server
 * (src/engine), drawing on the page's canvas with the server's fonts and decoded images.
 */
export function createBrowserEngine(opts: ApiOptions = {}): BrowserEngine {
  const api = createApi(opts);
  const { host, fonts, images } = browserHost(api);

  /** Plans are cheap (pure data), but the editor renders one scene many times: reuse them while the input is the same object. */
  let lastPlans: { template: unknown; brand: unknown; elements: unknown; plans: ScenePlan[] } | null = null;
  const plansOf = (input: Omit<SceneInput, 'sceneIndex'>): ScenePlan[] => {
    if (lastPlans && lastPlans.template === input.template && lastPlans.brand === input.brand && lastPlans.elements === input.elements) return lastPlans.plans;
    const plans = buildPlans({ template: input.template, brand: input.brand, elements: input.elements });
    lastPlans = { template: input.template, brand: input.brand, elements: input.elements, plans };
    return plans;
  };

  /** A 1×1 canvas whose context measures text; layout needs no pixels. */
  let measuring: BrowserCanvas | null = null;

  return {
    async renderScene(canvas: BrowserCanvas, input: SceneInput): Promise<RenderedSceneInfo> {
      const t0 = performance.now();
      const plans = plansOf(input);
      const planned = plans[input.sceneIndex];
      if (!planned) throw new AdsmithError('ADS_BAD_OPTION', { option: 'sceneIndex', problem: `has no scene ${input.sceneIndex}; the template has ${plans.length} (scenes count from 0).` });
      await fonts.ready();
      const drawn = await drawScene(host, planned, { scale: input.scale ?? 1, brand: input.brand, requiresBrand: input.template.requires_brand, canvas });
      return { layout: drawn.layout, plan: drawn.plan, warnings: drawn.warnings, ms: performance.now() - t0, timings: drawn.timings };
    },

    async measureScene(input: SceneInput): Promise<MeasuredScene> {
      const t0 = performance.now();
      const planned = plansOf(input)[input.sceneIndex];
      if (!planned) throw new AdsmithError('ADS_BAD_OPTION', { option: 'sceneIndex', problem: `has no scene ${input.sceneIndex}; the template has ${plansOf(input).length} (scenes count from 0).` });
      await fonts.ready();
      // The same fonts a render registers and loads (brand fonts by alias), so the measures are the render's.
      const aliases = input.template.requires_brand ? await registerBrandFonts(host, input.brand, []) : new Map<string, string>();
      const plan = withFontAliases(planned, aliases);
      await Promise.all(plan.layers.flatMap((layer) => (layer.kind === 'text' ? [host.loadFonts(layer.font, charactersDrawn(layer))] : [])));
      measuring ??= host.createCanvas(1, 1);
      const layout = layoutScene(context2d(measuring), plan, host.formatFamilies);
      return { layout, plan, ms: performance.now() - t0 };
    },

    async preload(input: Omit<SceneInput, 'sceneIndex'>): Promise<void> {
      await fonts.ready();
      const scale = input.scale ?? 1;
      const aliases = input.template.requires_brand ? await registerBrandFonts(host, input.brand, []) : new Map<string, string>();
      await Promise.all(
        plansOf(input).map(async (planned) => {
          const plan = withFontAliases(planned, aliases);
          await Promise.all(plan.layers.flatMap((layer) => (layer.kind === 'text' ? [fonts.load(layer.font, charactersDrawn(layer))] : [])));
          await images.load(assetRequests(plan, scale));
        }),
      );
    },

    forgetImage(src: string): void {
      images.forget(src);
    },
  };
}
