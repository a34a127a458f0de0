/**
 * How the browser engine reaches the Adsmith server: its base URL and the
 * caller's credentials (an API token from the playground, or an editor session).
 */
export interface ApiOptions {
  /** The server's origin, e.g. `http://localhost:8080`; default: the page's own origin. */
  baseUrl?: string;
  /** An API token, or a function answering the current one (the playground keeps it in localStorage). */
  token?: string | (() => string | null);
  /** A signed editor session (`<job>.<scene>.<exp>.<sig>`), sent as `x-adsmith-editor` (the editor page's credential). */
  editorSession?: string;
}

/** An answer of the server that was not a success: status, the catalogue code when there is one, and its message. */
export class EngineRequestError extends Error {
  constructor(
    readonly status: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'EngineRequestError';
  }
}

export interface Api {
  url(path: string): string;
  get(path: string): Promise<Response>;
  json<T>(path: string): Promise<T>;
}

function defaultBase(): string {
  const loc = (globalThis as { location?: { origin?: string } }).location;
  return loc?.origin ?? '';
}

/** The server's error body as a message: `{error: {code, message}}`, a JSON string (403/422), or the status. */
async function errorOf(res: Response): Promise<EngineRequestError> {
  let code: string | null = null;
  let message = `${res.status} ${res.statusText}`.trim();
  try {
    const body: unknown = await res.json();
    if (typeof body === 'string') message = body;
    else if (body && typeof body === 'object' && 'error' in body) {
      const e = (body as { error: { code?: string; message?: string } }).error;
      code = e.code ?? null;
      message = e.message ?? message;
    }
  } catch {
    // Not JSON: keep the status line.
  }
  return new EngineRequestError(res.status, code, message);
}

export function createApi(opts: ApiOptions): Api {
  const base = (opts.baseUrl ?? defaultBase()).replace(/\/+$/, '');
  const headers = (): Record<string, string> => {
    const h: Record<string, string> = {};
    const token = typeof opts.token === 'function' ? opts.token() : opts.token;
    if (token) h['api_token'] = token;
    if (opts.editorSession) h['x-adsmith-editor'] = opts.editorSession;
    return h;
  };
  const api: Api = {
    url: (path) => `${base}${path}`,
    async get(path) {
      const res = await fetch(api.url(path), { headers: headers() });
      if (!res.ok) throw await errorOf(res);
      return res;
    },
    async json<T>(path: string) {
      return (await (await api.get(path)).json()) as T;
    },
  };
  return api;
}
