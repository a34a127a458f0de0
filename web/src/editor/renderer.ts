/**
 * Draws the edited scene with the engine, at most once per animation frame:
 * many edits between two frames (a fast drag, typing) become one render, and a
 * render never overlaps the previous one. The engine draws into a back buffer
 * that is copied to the visible canvas in one step, so a render that waits for
 * an image never shows a blank canvas.
 */
import type { SceneLayout } from '../../../src/engine/layout/scene.js';
import type { BrandDocument } from '../../../src/engine/model/brand.js';
import type { TemplateDocument } from '../../../src/engine/model/template.js';
import type { ScenePlan } from '../../../src/engine/plan/types.js';
import type { ElementInput } from './model/types.js';

export interface RenderInput {
  template: TemplateDocument;
  brand: BrandDocument | null;
  elements: ElementInput[];
  sceneIndex: number;
  scale: number;
}

export interface RenderOutput {
  layout: SceneLayout;
  plan: ScenePlan;
  warnings: string[];
  ms: number;
}

/** The browser engine host's drawing entry point (web/src/engine-host). */
export type RenderSceneFn = (canvas: HTMLCanvasElement, input: RenderInput) => Promise<RenderOutput> | RenderOutput;

export class FrameRenderer {
  private frame = 0;
  private busy = false;
  private again = false;
  private readonly back: HTMLCanvasElement;
  /** Durations of the last renders (ms), newest last; the bench reads them. */
  readonly timings: number[] = [];

  constructor(
    private readonly renderScene: RenderSceneFn,
    private readonly visible: HTMLCanvasElement,
    private readonly input: () => RenderInput,
    private readonly done: (out: RenderOutput) => void,
    private readonly failed: (err: unknown) => void,
  ) {
    this.back = document.createElement('canvas');
  }

  /** Asks for a render on the next frame (calls before then are coalesced). */
  request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      void this.run();
    });
  }

  private async run(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      const input = this.input();
      const t0 = performance.now();
      const out = await this.renderScene(this.back, input);
      const { width, height } = this.back;
      if (this.visible.width !== width || this.visible.height !== height) {
        this.visible.width = width;
        this.visible.height = height;
      }
      const ctx = this.visible.getContext('2d');
      if (ctx) {
        ctx.clearRect(0, 0, width, height);
        ctx.drawImage(this.back, 0, 0);
      }
      const t1 = performance.now();
      this.timings.push(t1 - t0);
      // Each render as a performance entry: the bench (and the browser's profiler) read them.
      performance.measure('adsmith:render', { start: t0, end: t1, detail: { engineMs: out.ms } });
      if (this.timings.length > 240) this.timings.shift();
      this.done(out);
    } catch (err) {
      this.failed(err);
    } finally {
      this.busy = false;
      if (this.again) {
        this.again = false;
        this.request();
      }
    }
  }

  stop(): void {
    if (this.frame) cancelAnimationFrame(this.frame);
    this.frame = 0;
  }
}
