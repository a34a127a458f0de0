import { createProvider, OfflineSmartImageService, type SmartImageConfig, type SmartImageEvent } from '../smart-image/index.js';

/**
 * The one place the server builds its smart-image service: the models thread uses
 * it for cut-outs (it alone loads ISNet), render threads for frames (they never
 * load a model). It mirrors `createSmartImageService` of src/smart-image/factory.ts
 * plus a small in-memory cache: cut-outs are persisted in the blob store
 * (cutout-store.ts), so keeping 16 decoded photos in memory (the library's
 * default) would only cost RSS. Swap to the factory once it takes `cacheSize`.
 */
export function smartImageService(config: SmartImageConfig, opts: { onEvent?: (e: SmartImageEvent) => void; cacheSize?: number } = {}): OfflineSmartImageService {
  const provider = createProvider(config);
  return new OfflineSmartImageService({
    cutout: config.cutout,
    cacheSize: opts.cacheSize ?? 2,
    providerCooldownMs: config.remote.cooldownMs,
    ...(provider ? { provider } : {}),
    ...(opts.onEvent ? { onEvent: opts.onEvent } : {}),
  });
}
