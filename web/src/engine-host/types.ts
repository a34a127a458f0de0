import type { SceneLayout } from '../../../src/engine/layout/scene.js';
import type { BrandDocument } from '../../../src/engine/model/brand.js';
import type { TemplateDocument } from '../../../src/engine/model/template.js';
import type { ContentOverride } from '../../../src/engine/resolve/overrides.js';
import type { ScenePlan } from '../../../src/engine/plan/types.js';

/** One entry of the contract's `elements[]`: fills a slot everywhere (content_type) or one element (id). */
export type ElementOverride = ContentOverride;

export interface SceneInput {
  template: TemplateDocument;
  brand: BrandDocument | null;
  elements: ElementOverride[];
  /** 0-based index of the scene in the template. */
  sceneIndex: number;
  /** Device pixels per scene pixel (default 1; the editor may pass devicePixelRatio × zoom). */
  scale?: number;
}

export interface RenderedSceneInfo {
  layout: SceneLayout;
  plan: ScenePlan;
  warnings: string[];
  /** Wall time of the whole render (plans, fonts, images, layout, paint). */
  ms: number;
  /** Layout and paint alone, as the server reports them. */
  timings: { layout: number; paint: number };
}

/** How a scene's texts were set, without drawing it (the designer's live text-fit diagnostics). */
export interface MeasuredScene {
  layout: SceneLayout;
  plan: ScenePlan;
  ms: number;
}

export interface BrowserEngine {
  /** Sizes the canvas to scene × scale and paints the scene on it. */
  renderScene(canvas: HTMLCanvasElement | OffscreenCanvas, input: SceneInput): Promise<RenderedSceneInfo>;
  /** Plans and lays out a scene's texts with its fonts (no images, no paint): the sizes, lines and shortenings a render would get. */
  measureScene(input: SceneInput): Promise<MeasuredScene>;
  /** Loads the fonts and images of every scene, so that later renders draw at once. */
  preload(input: Omit<SceneInput, 'sceneIndex'>): Promise<void>;
  /** Drops the cached decodes of an image source (an image the user replaced at the same URL). */
  forgetImage(src: string): void;
}
