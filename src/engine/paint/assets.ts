import type { DrawableImage } from '../canvas.js';

/**
 * Images the host loaded before painting. Raster sources are decoded once;
 * vector sources (SVG) are rasterized by the host at the requested device
 * size so they stay crisp at any scale.
 */
export interface AssetLookup {
  image(src: string, deviceWidth: number, deviceHeight: number): DrawableImage | undefined;
}

/** What a scene needs loaded: each image source and the device-pixel size it is drawn at. */
export interface AssetRequest {
  src: string;
  layerId: string;
  deviceWidth: number;
  deviceHeight: number;
}
