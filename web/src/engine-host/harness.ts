// A harness for Playwright: test/web/fidelity.test.ts and bench/editor-render.bench.ts bundle this file
// (test/helpers/engine-page.ts) and drive the browser host of the engine through window.fidelity.
// No page of the shipped front end imports it.
import { createBrowserEngine, fetchBrandDocument, fetchTemplateDocument, type BrowserEngine, type SceneInput } from './index.js';

export interface FidelityApi {
  engine: BrowserEngine;
  /** Renders one scene and answers its pixels as a PNG data URL, with the engine's warnings. */
  render(input: SceneInput): Promise<{ png: string; width: number; height: number; warnings: string[]; ms: number }>;
  /** Renders a scene `times` times onto one canvas after a first render, answering each render's milliseconds. */
  rerender(input: SceneInput, times: number, nudge: boolean): Promise<number[]>;
  loadDocuments(templateId: string, brandId: string | null): Promise<Pick<SceneInput, 'template' | 'brand'>>;
}

export function install(opts: { token: string }): void {
  const engine = createBrowserEngine({ token: opts.token });
  const canvas = document.createElement('canvas');
  document.body.append(canvas);
  const api: FidelityApi = {
    engine,
    async render(input) {
      const info = await engine.renderScene(canvas, input);
      return { png: canvas.toDataURL('image/png'), width: canvas.width, height: canvas.height, warnings: info.warnings, ms: info.ms };
    },
    async rerender(input, times, nudge) {
      await engine.renderScene(canvas, input);
      const out: number[] = [];
      const heading = input.template.scenes[input.sceneIndex]!.elements.find((e) => e.layer_type === 'text');
      for (let i = 0; i < times; i++) {
        // A drag moves an element a pixel at a time: a new document each frame, as the editor makes one.
        const template = nudge && heading
          ? { ...input.template, scenes: input.template.scenes.map((s, j) => (j !== input.sceneIndex ? s : { ...s, elements: s.elements.map((e) => (e === heading ? { ...e, box: { ...e.box, x: e.box.x + (i % 40) } } : e)) })) }
          : input.template;
        const t0 = performance.now();
        await engine.renderScene(canvas, { ...input, template });
        // Make the canvas finish drawing before the clock stops: read one pixel back.
        canvas.getContext('2d')!.getImageData(0, 0, 1, 1);
        out.push(performance.now() - t0);
      }
      return out;
    },
    async loadDocuments(templateId, brandId) {
      const template = (await fetchTemplateDocument(templateId, { token: opts.token })).document;
      const brand = brandId ? (await fetchBrandDocument(brandId, { token: opts.token })).document : null;
      return { template, brand };
    },
  };
  (window as unknown as { fidelity: FidelityApi }).fidelity = api;
}
