/** The editor's calls to the server, each carrying the session header; errors keep the server's code and message. */
import type { BrandDocument } from '../../../src/engine/model/brand.js';
import type { TemplateDocument } from '../../../src/engine/model/template.js';
import { sessionHeader, type EditorLink } from './config.js';
import type { SessionEdit } from './model/document.js';
import type { ElementInput, Scene } from './model/types.js';

export interface SessionScene {
  scene: number;
  name: string;
  width: number;
  height: number;
  url: string;
  revision: number;
}

export interface Session {
  job_id: string;
  scene: number;
  template: TemplateDocument;
  brand: BrandDocument | null;
  elements: ElementInput[];
  scenes: SessionScene[];
  edit: SessionEdit;
  allowed_origins: string[];
}

export interface Saved {
  scene_id: string;
  scene: number;
  revision: number;
  url: string;
  width: number;
  height: number;
}

export interface Uploaded {
  url: string;
  width: number;
  height: number;
  mime_type: string;
}

/** An answer that was not a success: the server's catalogue code and message, and the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export class EditorApi {
  constructor(
    private readonly link: EditorLink,
    private readonly base = '',
  ) {}

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'x-adsmith-editor': sessionHeader(this.link) };
    let payload: BodyInit | undefined;
    if (body instanceof FormData) payload = body;
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    let res: Response;
    try {
      res = await fetch(`${this.base}${path}`, { method, headers, body: payload, cache: 'no-store' });
    } catch {
      throw new ApiError(0, 'NETWORK', 'The server could not be reached; check the connection and try again.');
    }
    const text = await res.text();
    let json: unknown = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON: reported below */
    }
    if (!res.ok) {
      const err = (json as { error?: { code?: string; message?: string } } | null)?.error;
      throw new ApiError(res.status, err?.code ?? `HTTP_${res.status}`, err?.message ?? `The server answered ${res.status} ${res.statusText}.`);
    }
    return json as T;
  }

  session(): Promise<Session> {
    return this.call('GET', '/v1/editor/session');
  }

  upload(file: File): Promise<Uploaded> {
    const form = new FormData();
    form.append('file', file, file.name);
    return this.call('POST', '/v1/editor/uploads', form);
  }

  save(baseRevision: number, sceneDoc: Scene, elements: ElementInput[]): Promise<Saved> {
    return this.call('POST', '/v1/editor/revisions', { base_revision: baseRevision, scene_doc: sceneDoc, elements });
  }

  applyToAll(elements: ElementInput[]): Promise<{ scenes: Array<{ scene: number; revision: number; url: string; width: number; height: number }> }> {
    return this.call('POST', '/v1/editor/apply-to-all', { elements });
  }
}
