import { createSmartImageService, type OfflineSmartImageService, type SmartImageConfig } from '../smart-image/index.js';

/**
 * The server's smart-image service: the models thread uses it for cut-outs (it
 * alone loads ISNet), render threads for frames (they never load a model).
 * Cut-outs are persisted in the blob store (cutout-store.ts), so keeping the
 * library's default of 16 decoded photos in memory would only cost RSS: two.
 */
export function smartImageService(config: SmartImageConfig): OfflineSmartImageService {
  return createSmartImageService(config, { cacheSize: 2 });
}
