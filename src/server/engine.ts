import type { BrandDocument } from '../engine/model/brand.js';
import type { TemplateDocument } from '../engine/model/template.js';
import type { RenderRequest } from '../node/types.js';

/**
 * What the server takes from the engine and the bundled assets. Injectable
 * (tests pass fixtures); the default loads the real modules on first use.
 */
export interface EngineBindings {
  publicTemplates(): TemplateDocument[];
  publicBrands(): BrandDocument[];
  /** Throws AdsmithError (400s) for requests that cannot render: unknown slot or element id, missing brand, bad output options. */
  checkRenderRequest(req: RenderRequest): void;
}

interface AssetsModule {
  publicTemplates(): TemplateDocument[];
  publicBrands(): BrandDocument[];
}
interface RenderModule {
  checkRenderRequest(req: RenderRequest): void;
}

// Module paths as values: the assets index lands with the rendering-engine issue.
const ASSETS_MODULE = '../assets/index.js';
const RENDER_MODULE = '../node/render.js';

export async function loadDefaultEngine(): Promise<EngineBindings> {
  const [assets, render] = await Promise.all([import(ASSETS_MODULE) as Promise<AssetsModule>, import(RENDER_MODULE) as Promise<RenderModule>]);
  return {
    publicTemplates: () => assets.publicTemplates(),
    publicBrands: () => assets.publicBrands(),
    checkRenderRequest: (req) => render.checkRenderRequest(req),
  };
}
