import type { BrandDocument } from '../../engine/model/brand.js';
import type { TemplateDocument } from '../../engine/model/template.js';
import type { RenderRequest } from '../../node/types.js';
import { publicBrands, publicTemplates } from '../../assets/index.js';
import { checkRenderRequest } from '../../node/render.js';

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

/** The real engine and the bundled public assets. */
export async function loadDefaultEngine(): Promise<EngineBindings> {
  return { publicTemplates, publicBrands, checkRenderRequest };
}
