import type { BrandDocument } from '../../../src/engine/model/brand.js';
import type { TemplateDocument } from '../../../src/engine/model/template.js';
import { createApi, type ApiOptions } from './api.js';

/** A stored template or brand as GET /v1/ads/{templates|brands}/{id}/document answers it (public ones are version 1, read-only). */
export interface StoredDocument<D> {
  id: number;
  kind: 'template' | 'brand';
  name: string;
  description: string;
  version: number;
  public?: boolean;
  document: D;
}

function versionPath(version: number | undefined): string {
  return version === undefined ? 'document' : `versions/${encodeURIComponent(String(version))}`;
}

/** A template's full document (public or the caller's own; a given version, else the current one). */
export async function fetchTemplateDocument(id: string | number, opts: ApiOptions & { version?: number } = {}): Promise<StoredDocument<TemplateDocument>> {
  return createApi(opts).json<StoredDocument<TemplateDocument>>(`/v1/ads/templates/${encodeURIComponent(String(id))}/${versionPath(opts.version)}`);
}

/** A brand's full document (public or the caller's own; a given version, else the current one). */
export async function fetchBrandDocument(id: string | number, opts: ApiOptions & { version?: number } = {}): Promise<StoredDocument<BrandDocument>> {
  return createApi(opts).json<StoredDocument<BrandDocument>>(`/v1/ads/brands/${encodeURIComponent(String(id))}/${versionPath(opts.version)}`);
}
