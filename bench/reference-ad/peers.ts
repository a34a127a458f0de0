/**
 * The renderer contract shared by every implementation of the reference ad,
 * and the two peer implementations Adsmith is compared with.
 *
 * A renderer owns its long-lived resources (browser, fonts, decoded assets)
 * between setup() and teardown(); render() is the timed part and must return
 * a complete PNG of the ad at the given size (one of spec.SIZES).
 */
import type { Size } from './spec.js';

export type Renderer = {
  name: string;
  setup(): Promise<void>;
  render(size: { width: number; height: number }): Promise<Uint8Array>;
  teardown(): Promise<void>;
};

export type { Size };
export { chromiumRenderer } from './chromium.js';
export { satoriRenderer } from './satori.js';
