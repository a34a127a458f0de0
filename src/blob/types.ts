/**
 * Where images live: rendered scenes, uploaded files. Keys are slash-separated
 * relative paths (`results/<job>/<scene>.png`). The fs adapter is the embedded
 * default; an S3 adapter implements the same four calls.
 */
export interface BlobStore {
  put(key: string, bytes: Uint8Array, contentType: string): Promise<void>;
  /** null when absent. */
  get(key: string): Promise<Uint8Array | null>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
}

/** A key is safe when it cannot escape the store's root: no `..`, no absolute paths, no backslashes. */
export function assertSafeKey(key: string): void {
  if (!/^[A-Za-z0-9_-][A-Za-z0-9_.\-/]*$/.test(key) || key.split('/').some((seg) => seg === '' || seg === '.' || seg === '..')) {
    throw new Error(`unsafe blob key: ${JSON.stringify(key)}`);
  }
}
