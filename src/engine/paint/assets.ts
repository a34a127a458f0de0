import type { Context2D, DrawableImage } from '../canvas.js';
import type { Rect } from '../layout/image-fit.js';

/**
 * Images the host loaded before painting. Raster sources are decoded once;
 * vector sources (SVG) are rasterized by the host at the requested device
 * size so they stay crisp at any scale.
 */
export interface AssetLookup {
  image(src: string, deviceWidth: number, deviceHeight: number): DrawableImage | undefined;
  /**
   * Optional: `source` (image pixels) of `image` resampled onto the device pixels `dest` covers (device
   * pixels, fractional), as drawImage would draw it with that smoothing, on a bitmap whose top left
   * is the device pixel (x, y). A host that keeps these (per image, target size, fit and focal point)
   * resamples a large photo once, not at every scene of every job; painting then copies pixels 1:1.
   */
  resampled?(src: string, image: DrawableImage, source: Rect, dest: Rect, smoothing: Smoothing): DeviceBitmap | undefined;
  /**
   * Optional: a bitmap of `width` × `height` device pixels that `draw` paints (on a cleared canvas of that
   * size), kept under `key` for the next scene and job that ask for it. Gradient backgrounds use it: the
   * same gradient at the same size is computed once, then copied 1:1.
   */
  painted?(key: string, width: number, height: number, draw: (ctx: Context2D) => void): DrawableImage | undefined;
}

/** How an image is resampled: the context's default smoothing, or imageSmoothingQuality 'high'. */
export type Smoothing = 'default' | 'high';

/** A bitmap already at device resolution and where its top-left pixel goes (whole device pixels). */
export interface DeviceBitmap {
  image: DrawableImage;
  x: number;
  y: number;
}

/** What a scene needs loaded: each image source and the device-pixel size it is drawn at. */
export interface AssetRequest {
  src: string;
  layerId: string;
  deviceWidth: number;
  deviceHeight: number;
}
