import type { Http } from './http.js';
import type { AssetRecord, BrandSummary, ContractTemplate, TemplateSummary } from './types.js';

type Kind = 'template' | 'brand';

/**
 * Private templates and brands: create from a document (JSON Schemas at
 * `/v1/schemas/{kind}.json`), read, update (a new version), delete. Jobs keep
 * the version they were accepted with.
 */
class AssetResource<K extends Kind> {
  constructor(
    protected readonly http: Http,
    private readonly kind: K,
  ) {}

  protected path(id?: string | number, rest = ''): string {
    return `/v1/ads/${this.kind}s${id === undefined ? '' : `/${encodeURIComponent(String(id))}`}${rest}`;
  }

  /** The caller's private ones (the contract's list); `{ include: 'public' }`: the public ones first, then those, each with `public`. */
  list(opts: { include?: 'public' } = {}): Promise<K extends 'template' ? TemplateSummary[] : BrandSummary[]> {
    return this.http.json({ method: 'GET', path: `${this.path()}${opts.include ? `?include=${opts.include}` : ''}`, idempotent: true });
  }

  create(document: object): Promise<AssetRecord> {
    return this.http.json({ method: 'POST', path: this.path(), json: document });
  }

  /** Stores a new version of the document. */
  update(id: string | number, document: object): Promise<AssetRecord> {
    return this.http.json({ method: 'PUT', path: this.path(id), json: document, idempotent: true });
  }

  async delete(id: string | number): Promise<void> {
    await this.http.json({ method: 'DELETE', path: this.path(id), idempotent: true });
  }

  /** The stored document (latest version) with its id, version and dates. */
  document(id: string | number): Promise<AssetRecord> {
    return this.http.json({ method: 'GET', path: this.path(id, '/document'), idempotent: true });
  }

  versions(id: string | number): Promise<Array<{ version: number; created_at: string }>> {
    return this.http.json({ method: 'GET', path: this.path(id, '/versions'), idempotent: true });
  }

  version(id: string | number, version: number): Promise<AssetRecord> {
    return this.http.json({ method: 'GET', path: this.path(id, `/versions/${version}`), idempotent: true });
  }
}

export class Templates extends AssetResource<'template'> {
  constructor(http: Http) {
    super(http, 'template');
  }

  /** The contract's view (`scene_1: [elements]`, …, `scene_resolutions`); public templates 1061 and 1062 too. */
  get(id: string | number): Promise<ContractTemplate> {
    return this.http.json({ method: 'GET', path: this.path(id), idempotent: true });
  }
}

export class Brands extends AssetResource<'brand'> {
  constructor(http: Http) {
    super(http, 'brand');
  }

  /** A brand's document; public brands (167, 166, 122, 121, 120) too. */
  get(id: string | number): Promise<AssetRecord> {
    return this.http.json({ method: 'GET', path: this.path(id), idempotent: true });
  }
}
