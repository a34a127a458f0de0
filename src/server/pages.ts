export function esc(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

const STYLE = `body{font:15px/1.5 system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:0;color:#1d1d27;background:#f6f6f9}
main{max-width:1100px;margin:0 auto;padding:24px}h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:24px 0 8px}
.muted{color:#666}.card{background:#fff;border:1px solid #e3e3ea;border-radius:10px;padding:16px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:14px}td,th{border-bottom:1px solid #eee;padding:6px 8px;text-align:left;vertical-align:top}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}pre{white-space:pre-wrap;word-break:break-all;background:#f2f2f6;padding:10px;border-radius:6px}
.scene{display:flex;gap:24px;flex-wrap:wrap}.scene img{max-width:520px;max-height:520px;border:1px solid #ddd;background:repeating-conic-gradient(#eee 0 25%,#fff 0 50%) 0 0/16px 16px}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;background:#eef;font-size:12px}.err{color:#a01010}
.m{display:inline-block;min-width:56px;font-weight:600;text-transform:uppercase;font-size:12px}.get{color:#0a7}.post{color:#06c}.put{color:#a60}.delete{color:#c22}`;

function layout(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${esc(title)}</title><style>${STYLE}</style></head><body><main>${body}</main></body></html>`;
}

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** The path prefix of a path item: its own server's when it has one, else the document's. */
function pathBase(item: object, base: string): string {
  const own = (item as { servers?: Array<{ url: string }> }).servers?.[0]?.url;
  return own === undefined ? base : own.replace(/^https?:\/\/[^/]+/, '');
}

/** A readable page of the OpenAPI document: every path and method, parameters, request schema. */
export function renderDocsPage(doc: Record<string, unknown>): string {
  const paths = doc['paths'] as Record<string, Record<string, { summary?: string; description?: string; parameters?: Array<{ name: string; in: string; required?: boolean }>; requestBody?: unknown; responses?: Record<string, unknown> }>>;
  const base = ((doc['servers'] as Array<{ url: string }>)[0]?.url ?? '/v1').replace(/^https?:\/\/[^/]+/, '');
  const ops = Object.entries(paths)
    .map(([p, methods]) =>
      Object.entries(methods)
        // A path item may carry its own `servers` (the task protocol lives at the root, not under /v1).
        .filter(([m]) => HTTP_METHODS.has(m))
        .map(
          ([m, op]) => `<div class="card"><div><span class="m ${esc(m)}">${esc(m)}</span><code>${esc(pathBase(methods, base) + p)}</code></div>
<p>${esc(op.summary ?? '')}</p>
${op.parameters?.length ? `<p class="muted">Parameters: ${op.parameters.map((x) => `<code>${esc(x.name)}</code> (${esc(x.in)}${x.required ? ', required' : ''})`).join(', ')}</p>` : ''}
${op.responses ? `<p class="muted">Responses: ${Object.keys(op.responses).map(esc).join(', ')}</p>` : ''}
${op.requestBody ? `<details><summary>Request body schema</summary><pre>${esc(JSON.stringify((op.requestBody as { content?: Record<string, { schema?: unknown }> }).content?.['application/json']?.schema ?? op.requestBody, null, 2))}</pre></details>` : ''}</div>`,
        )
        .join(''),
    )
    .join('');
  return layout(
    'Adsmith API',
    `<h1>Adsmith API</h1><p>Bria Ads Generation API compatible: point a Bria client at <code>${esc(base)}</code> with your Adsmith token in the <code>api_token</code> header (or <code>Authorization: Bearer</code>). The machine-readable document is at <a href="/openapi.json">/openapi.json</a>; template and brand JSON Schemas at <a href="/v1/schemas/template.json">/v1/schemas/template.json</a> and <a href="/v1/schemas/brand.json">/v1/schemas/brand.json</a>.</p>
<h2>Quick start</h2><pre>curl -s -X POST $URL/v1/ads/generate -H "api_token: $TOKEN" -H 'content-type: application/json' \\
  -d '{"template_id":"1062","brand_id":"167","elements":[{"layer_type":"text","content_type":"Heading #1","content":"Summer sale"}]}'</pre>
<p>Each <code>result[].url</code> answers 202 with <code>Retry-After</code> while rendering, then 200 with the image. <code>status_url</code> gives the job's status; <code>status_url/events</code> streams progress.</p>
<h2>Endpoints</h2>${ops}`,
  );
}
