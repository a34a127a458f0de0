import { CompressionType, FilterType, Transformer } from '@napi-rs/image';
import sharp, { type Sharp } from 'sharp';
import { AdsmithError } from '../errors/catalogue.js';
import type { OutputFormat, OutputOptions, PngMode } from './types.js';

export const MIME_TYPES: Record<OutputFormat, string> = { png: 'image/png', jpeg: 'image/jpeg', webp: 'image/webp' };

export interface RawPixels {
  /** RGBA, not premultiplied. */
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  /** True when the pixels are known to be opaque (drawn on an opaque canvas): the check for alpha is skipped. */
  opaque?: boolean;
}

/**
 * PNG trade-off, chosen by measurement (bench/png-modes.bench.ts, against Chromium's PNG of the same ad):
 * - fast: fdeflate via @napi-rs/image, Sub filter — the fastest by far, files ~1.9× Chromium's;
 * - balanced: libpng via sharp, zlib level 3 with adaptive filtering, RGB when every pixel is opaque — about
 *   Chromium's size at ~6× fast's time (no zlib level or filter measured came within 1.25× of Chromium's size
 *   at 1.5× fast's time, so fast stays the default);
 * - small: libpng via sharp, zlib level 9 with adaptive filtering.
 */
function encodeFastPng(px: RawPixels): Buffer {
  return Transformer.fromRgbaPixels(px.data, px.width, px.height).pngSync({ compressionType: CompressionType.Fast, filterType: FilterType.Sub });
}

function rawInput(px: RawPixels) {
  const buffer = Buffer.from(px.data.buffer, px.data.byteOffset, px.data.byteLength);
  return sharp(buffer, { raw: { width: px.width, height: px.height, channels: 4 } });
}

async function sharpEncode(px: RawPixels, configure: (s: Sharp) => Sharp): Promise<Buffer> {
  return configure(rawInput(px)).toBuffer();
}

/** True when no pixel has any transparency (RGBA bytes): such a PNG needs no alpha channel. */
export function isOpaque(data: Uint8Array | Uint8ClampedArray): boolean {
  for (let i = 3; i < data.length; i += 4) if (data[i] !== 255) return false;
  return true;
}

/** A quarter less to filter and deflate: an ad is usually opaque, and its alpha channel says nothing. */
async function encodeBalancedPng(px: RawPixels): Promise<Buffer> {
  const input = (px.opaque ?? isOpaque(px.data)) ? rawInput(px).removeAlpha() : rawInput(px);
  return input.png({ compressionLevel: 3, adaptiveFiltering: true }).toBuffer();
}

async function encodeOnce(px: RawPixels, format: OutputFormat, quality: number, pngMode: PngMode): Promise<Buffer> {
  switch (format) {
    case 'png':
      if (pngMode === 'fast') return encodeFastPng(px);
      if (pngMode === 'balanced') return encodeBalancedPng(px);
      return sharpEncode(px, (s) => s.png({ compressionLevel: 9, adaptiveFiltering: true }));
    case 'jpeg':
      // JPEG has no alpha: flatten over white, as ad platforms would.
      return sharpEncode(px, (s) => s.flatten({ background: '#ffffff' }).jpeg({ quality, mozjpeg: true, chromaSubsampling: quality >= 90 ? '4:4:4' : '4:2:0' }));
    case 'webp':
      return sharpEncode(px, (s) => s.webp({ quality, effort: 4 }));
  }
}

/**
 * Encode pixels. With a size budget (maxKb), JPEG and WebP get the highest
 * quality whose file fits (binary search); PNG tries lossless, then palette
 * quantisation (down to 64 colours) before giving up with a clear error.
 */
export async function encode(px: RawPixels, options: OutputOptions, sceneName = 'scene'): Promise<Buffer> {
  const { format, maxKb, pngMode, quality } = options;
  try {
    if (!maxKb) return await encodeOnce(px, format, quality, pngMode);
    const budget = maxKb * 1024;
    if (format === 'png') {
      const lossless = await encodeOnce(px, 'png', quality, 'small');
      if (lossless.length <= budget) return lossless;
      let smallest = lossless;
      for (const colours of [256, 128, 64]) {
        const out = await sharpEncode(px, (s) => s.png({ palette: true, colours, compressionLevel: 9, effort: 7, dither: 0.8 }));
        if (out.length <= budget) return out;
        if (out.length < smallest.length) smallest = out;
      }
      throw new AdsmithError('ADS_BUDGET_UNREACHABLE', { scene: sceneName, max_kb: maxKb, format, smallest_kb: Math.ceil(smallest.length / 1024) });
    }
    let lo = 20;
    let hi = Math.min(quality, 95);
    let best: Buffer | null = null;
    const atHi = await encodeOnce(px, format, hi, pngMode);
    if (atHi.length <= budget) return atHi;
    while (lo <= hi) {
      const mid = Math.floor((lo + hi) / 2);
      const out = await encodeOnce(px, format, mid, pngMode);
      if (out.length <= budget) {
        best = out;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    if (best) return best;
    const smallest = await encodeOnce(px, format, 20, pngMode);
    throw new AdsmithError('ADS_BUDGET_UNREACHABLE', { scene: sceneName, max_kb: maxKb, format, smallest_kb: Math.ceil(smallest.length / 1024) });
  } catch (err) {
    if (err instanceof AdsmithError) throw err;
    throw new AdsmithError('ADS_ENCODE_FAILED', { format, reason: err instanceof Error ? err.message : String(err) }, { cause: err });
  }
}
