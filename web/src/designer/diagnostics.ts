/**
 * Live text-fit diagnostics of every scene: after any edit (at most once per
 * animation frame, never two runs at once) the engine lays out each scene's
 * texts, without drawing, and the designer lists the size each got, its lines
 * and whether it was shortened.
 */
import { signal } from '@preact/signals';
import type { BrowserEngine } from '../engine-host/index.js';
import { textFits, type TextFit } from './model/diagnostics.js';
import type { DesignerStore } from './store.js';

export class DiagnosticsRunner {
  readonly fits = signal<TextFit[][]>([]);
  readonly error = signal<string | null>(null);
  /** Milliseconds of the last runs (all scenes), newest last; the bench reads them. */
  readonly timings: number[] = [];
  private frame = 0;
  private busy = false;
  private again = false;

  constructor(
    private readonly engine: BrowserEngine,
    private readonly store: DesignerStore,
  ) {}

  request(): void {
    if (this.frame) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      void this.run();
    });
  }

  /** Measures every scene now (the bench and tests await it). */
  async run(): Promise<void> {
    if (this.busy) {
      this.again = true;
      return;
    }
    this.busy = true;
    try {
      const t0 = performance.now();
      const template = this.store.template.value;
      const out: TextFit[][] = [];
      const measured = await Promise.all(template.scenes.map((_, i) => this.engine.measureScene(this.store.renderInput(i))));
      for (const [i, m] of measured.entries()) out.push(textFits(i, template.scenes[i]!, m.layout.texts));
      this.timings.push(performance.now() - t0);
      if (this.timings.length > 200) this.timings.shift();
      this.fits.value = out;
      this.error.value = null;
    } catch (err) {
      this.error.value = err instanceof Error ? err.message : String(err);
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
  }
}
