import { esc } from '../http/html-escape.js';

/**
 * The pages the editor link answers when it cannot open the editor. White-label: they appear inside the host
 * app's frame, so they name no vendor and carry no logo, only what happened and what to do.
 */
const STYLE = `html,body{height:100%;margin:0}body{display:flex;align-items:center;justify-content:center;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:#1d1d27;background:#f6f6f9}
main{max-width:440px;padding:28px 32px;margin:16px;background:#fff;border:1px solid #e3e3ea;border-radius:10px}h1{font-size:19px;margin:0 0 8px}p{margin:0 0 8px}.code{color:#777;font-size:12px}`;

export type EditorRefusal = 'invalid' | 'expired' | 'missing';

const TEXT: Record<EditorRefusal, { status: number; title: string; body: string }> = {
  invalid: {
    status: 403,
    title: 'This editor link is not valid',
    body: 'The link was changed or is incomplete, so the ad cannot be opened. Open the editor again from the app you came from.',
  },
  expired: {
    status: 410,
    title: 'This editor link has expired',
    body: 'Editor links are valid for a limited time. Ask the app you came from for a fresh link to edit this ad.',
  },
  missing: {
    status: 404,
    title: 'This ad was not found',
    body: 'The link points to an ad or a size that does not exist (any more). Open the editor again from the app you came from.',
  },
};

export function refusalStatus(kind: EditorRefusal): number {
  return TEXT[kind].status;
}

/** The HTML page for a refused editor link; `detail` (e.g. when it expired) is shown in small print. */
export function renderRefusalPage(kind: EditorRefusal, detail?: string): string {
  const t = TEXT[kind];
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="robots" content="noindex"><title>${esc(t.title)}</title><style>${STYLE}</style></head><body><main role="alert"><h1>${esc(t.title)}</h1><p>${esc(t.body)}</p>${detail ? `<p class="code">${esc(detail)}</p>` : ''}</main></body></html>`;
}
