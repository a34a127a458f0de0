import sharp from 'sharp';
import type { BlobStore } from '../blob/types.js';

/**
 * Cut-outs persisted in the blob store, addressed by the input image's content
 * hash: every scene of a request, every later request with the same image, and a
 * process restarted after kill -9 reuse the matte instead of running the model
 * again. The matte is a one-channel PNG (photo size); the JSON beside it says
 * who made it. The JSON is written last, so its presence means both are whole.
 */
export interface CutoutMeta {
  version: 1;
  imageHash: string;
  width: number;
  height: number;
  cutoutBy: string;
  /** Milliseconds decode + cut-out took when it was computed. */
  ms: number;
  /** Provider fallbacks while it was computed. */
  warnings: string[];
}

const dir = (imageHash: string) => {
  if (!/^[0-9a-f]{64}$/.test(imageHash)) throw new Error(`not a sha256 hex digest: ${imageHash.slice(0, 80)}`);
  return `smart-image/cutouts/${imageHash.slice(0, 2)}/${imageHash}`;
};
export const cutoutMatteKey = (imageHash: string): string => `${dir(imageHash)}.png`;
export const cutoutMetaKey = (imageHash: string): string => `${dir(imageHash)}.json`;

export async function saveCutout(blob: BlobStore, meta: CutoutMeta, alpha: Uint8Array): Promise<void> {
  if (alpha.length !== meta.width * meta.height) throw new Error(`matte has ${alpha.length} pixels, expected ${meta.width}×${meta.height}`);
  const png = await sharp(alpha, { raw: { width: meta.width, height: meta.height, channels: 1 } }).png({ compressionLevel: 3 }).toBuffer();
  await blob.put(cutoutMatteKey(meta.imageHash), png, 'image/png');
  await blob.put(cutoutMetaKey(meta.imageHash), new TextEncoder().encode(JSON.stringify(meta)), 'application/json');
}

/** The persisted description of a cut-out, or null when there is none (or it is unreadable). */
export async function readCutoutMeta(blob: BlobStore, imageHash: string): Promise<CutoutMeta | null> {
  const bytes = await blob.get(cutoutMetaKey(imageHash));
  if (!bytes) return null;
  try {
    const meta = JSON.parse(new TextDecoder().decode(bytes)) as CutoutMeta;
    return meta.version === 1 && meta.imageHash === imageHash && meta.width > 0 && meta.height > 0 ? meta : null;
  } catch {
    return null;
  }
}

/** The persisted matte (one byte a pixel) with its description, or null. */
export async function loadCutout(blob: BlobStore, imageHash: string): Promise<{ meta: CutoutMeta; alpha: Uint8Array } | null> {
  const meta = await readCutoutMeta(blob, imageHash);
  const png = meta && (await blob.get(cutoutMatteKey(imageHash)));
  if (!meta || !png) return null;
  const { data, info } = await sharp(png).extractChannel(0).raw().toBuffer({ resolveWithObject: true });
  if (info.width !== meta.width || info.height !== meta.height || info.channels !== 1) return null;
  return { meta, alpha: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}
