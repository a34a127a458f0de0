import fs from 'node:fs';
import { BrandDocument } from '../../engine/model/brand.js';
import { TemplateDocument } from '../../engine/model/template.js';
import { BatchBodySchema, RowSchema } from '../batch/request.js';
import { editorOpenApiPaths } from '../editor/openapi.js';
import { engineOpenApiPaths } from '../engine/openapi.js';
import { APP_INPUT_SCHEMA } from '../tasks/app.js';
import { GenerateBodySchema } from './validate.js';

/** The contract as shipped in the repo (a copy of Bria's OpenAPI document). */
export function contractDocument(): Record<string, unknown> {
  return JSON.parse(fs.readFileSync(new URL('../../../contract/bria-ads-openapi.json', import.meta.url), 'utf8')) as Record<string, unknown>;
}

const auth = [{ in: 'header', name: 'api_token', required: true, schema: { type: 'string' }, description: 'API token of the organisation (or Authorization: Bearer).' }];
const err = { description: 'Error', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
const ok = (description: string, schema: object = { type: 'object' }) => ({ description, content: { 'application/json': { schema } } });
const idParam = (name: string) => ({ in: 'path', name, required: true, schema: { type: 'string' } });

const AUTH_HEADERS = new Set(['api_token', 'authorization']);

/**
 * The token is declared once, as security schemes, instead of as a header parameter on each operation (the
 * contract's `api_token` parameter, Adsmith's `Authorization`): OpenAPI tools then ask for it once ("Authorize")
 * rather than per request, and an operation that took no token header says so with `security: []`.
 */
function useSecuritySchemes(paths: Record<string, Record<string, unknown>>): void {
  for (const item of Object.values(paths)) {
    for (const [method, op] of Object.entries(item)) {
      if (method === 'servers' || !op || typeof op !== 'object') continue;
      const operation = op as { parameters?: Array<{ in?: string; name?: string }>; security?: unknown };
      const params = operation.parameters ?? [];
      const rest = params.filter((p) => !(p.in === 'header' && AUTH_HEADERS.has(String(p.name).toLowerCase())));
      if (rest.length === params.length) operation.security = [];
      if (rest.length) operation.parameters = rest;
      else delete operation.parameters;
    }
  }
}

/** The whole API: the contract's four endpoints (unchanged, with Adsmith's extra generate fields) plus everything beyond it. */
export function openApiDocument(publicUrl: string): Record<string, unknown> {
  const doc = contractDocument();
  const paths = doc['paths'] as Record<string, Record<string, Record<string, unknown>>>;
  const generate = paths['/ads/generate']?.['post'];
  if (generate) {
    (generate as { requestBody: unknown }).requestBody = { content: { 'application/json': { schema: GenerateBodySchema } } };
    (generate['parameters'] as unknown[]).push({ in: 'header', name: 'Idempotency-Key', required: false, schema: { type: 'string', maxLength: 200 } });
    (generate['responses'] as Record<string, unknown>)['424'] = { ...err, description: 'A model the request needs (smart image cut-out, content moderation) is not available on this server; the message says what is missing, GET /healthz shows it too.' };
  }
  const extra: Record<string, Record<string, unknown>> = {
    '/results/{file}': { get: { summary: 'A scene result (no auth): 202 + Retry-After while rendering, 200 image when done (zero bytes if moderated out), error JSON if failed. With ADSMITH_S3_PUBLIC_URL set, a done scene answers 302 to its copy in the bucket or CDN.', parameters: [idParam('file')], responses: { 200: { description: 'The image' }, 302: { description: 'The image, at the public bucket or CDN URL (ADSMITH_S3_PUBLIC_URL)' }, 202: ok('Rendering'), 404: err, 410: err, 422: err, 500: err } } },
    '/jobs': { get: { summary: 'Recent jobs of the organisation', parameters: auth, responses: { 200: ok('Jobs', { type: 'array' }) } } },
    '/jobs/{id}': {
      get: { summary: 'Job status: IN_PROGRESS | COMPLETED | ERROR | CANCELLED, progress, per-scene results', parameters: [...auth, idParam('id')], responses: { 200: ok('Status'), 404: err } },
      delete: { summary: 'Cancel the job', parameters: [...auth, idParam('id')], responses: { 200: ok('Status'), 409: err } },
    },
    '/jobs/{id}/cancel': { post: { summary: 'Cancel the job', parameters: [...auth, idParam('id')], responses: { 200: ok('Status'), 409: err } } },
    '/jobs/{id}/events': { get: { summary: 'Progress as Server-Sent Events (`progress`, then `done`)', parameters: [...auth, idParam('id')], responses: { 200: { description: 'text/event-stream' } } } },
    '/ads/templates/{id}/document': { get: { summary: 'A template document in full: a private one (current version) or a public one (read-only, version 1, public: true)', parameters: [...auth, idParam('id')], responses: { 200: ok('Template'), 404: err } } },
    '/ads/templates/{id}/versions': { get: { summary: 'Versions of a private template', parameters: [...auth, idParam('id')], responses: { 200: ok('Versions', { type: 'array' }) } } },
    '/ads/brands/{id}': {
      get: { summary: 'A brand document (public or private)', parameters: [...auth, idParam('id')], responses: { 200: ok('Brand'), 404: err } },
      put: { summary: 'Update a private brand (new version)', parameters: [...auth, idParam('id')], requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/BrandDocument' } } } }, responses: { 200: ok('Brand'), 400: err, 404: err } },
      delete: { summary: 'Delete a private brand', parameters: [...auth, idParam('id')], responses: { 204: { description: 'Deleted' }, 404: err } },
    },
    '/ads/brands/{id}/versions': { get: { summary: 'Versions of a private brand', parameters: [...auth, idParam('id')], responses: { 200: ok('Versions', { type: 'array' }) } } },
    '/files': {
      post: { summary: 'Upload an image or font (multipart field `file`); answers its URL, usable as element content', parameters: auth, responses: { 201: ok('File'), 413: err, 415: err } },
      get: { summary: 'Uploaded files', parameters: auth, responses: { 200: ok('Files', { type: 'array' }) } },
    },
    '/files/{id}': { get: { summary: 'The file (no auth; the id is unguessable)', parameters: [idParam('id')], responses: { 200: { description: 'The file' }, 404: err } }, delete: { summary: 'Delete an uploaded file', parameters: [...auth, idParam('id')], responses: { 204: { description: 'Deleted' } } } },
    '/ads/batch': {
      post: {
        summary: 'Many generate requests in one: shared fields + defaults, one job per row. Invalid shared fields are a 4xx like generate; an invalid row is refused alone (status failed, error naming rows[i]…) while the others are accepted. Every accepted row counts one request.',
        parameters: [...auth, { in: 'header', name: 'Idempotency-Key', required: false, schema: { type: 'string', maxLength: 200 } }],
        requestBody: { content: { 'application/json': { schema: { ...BatchBodySchema, properties: { ...BatchBodySchema.properties, rows: { type: 'array', minItems: 1, maxItems: 1000, items: RowSchema } } } } } },
        responses: { 202: ok('Accepted: {batch_id, status_url, status, rows_total, rows_accepted, rows_failed, failed_rows}'), 400: err, 401: err, 403: err, 413: err, 422: err },
      },
      get: { summary: 'Recent batches of the organisation', parameters: auth, responses: { 200: ok('Batches', { type: 'array' }) } },
    },
    '/ads/batch/{id}': {
      get: { summary: 'Batch status: IN_PROGRESS | COMPLETED (every row final) | ERROR (every row failed) | CANCELLED, progress {rows_total, rows_done, rows_failed, scenes_total, scenes_done}, rows [{index, key, status, request_id, result, error}]', parameters: [...auth, idParam('id')], responses: { 200: ok('Status'), 404: err } },
      delete: { summary: 'Cancel the rows not yet final', parameters: [...auth, idParam('id')], responses: { 200: ok('Status'), 404: err, 409: err } },
    },
    '/ads/batch/{id}/cancel': { post: { summary: 'Cancel the rows not yet final', parameters: [...auth, idParam('id')], responses: { 200: ok('Status'), 404: err, 409: err } } },
    '/ads/batch/{id}/events': { get: { summary: 'Progress as Server-Sent Events: `progress` (counts + the rows that changed), then `done`', parameters: [...auth, idParam('id')], responses: { 200: { description: 'text/event-stream' }, 404: err } } },
    '/org': { get: { summary: 'The organisation of the token: plan, usage, webhook secret', parameters: auth, responses: { 200: ok('Organisation') } } },
    '/webhooks/deliveries': { get: { summary: 'Webhook deliveries (Standard Webhooks signed POSTs)', parameters: auth, responses: { 200: ok('Deliveries', { type: 'array' }) } } },
    '/webhooks/deliveries/{id}/replay': { post: { summary: 'Send a delivery again', parameters: [...auth, idParam('id')], responses: { 202: ok('Delivery'), 404: err } } },
    '/schemas/template.json': { get: { summary: 'JSON Schema of template documents', responses: { 200: ok('Schema') } } },
    '/schemas/brand.json': { get: { summary: 'JSON Schema of brand documents', responses: { 200: ok('Schema') } } },
  };
  paths['/ads/templates'] = { ...paths['/ads/templates'], post: { summary: 'Create a private template', parameters: auth, requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/TemplateDocument' } } } }, responses: { 201: ok('Template'), 400: err, 403: err } } };
  paths['/ads/brands'] = { ...paths['/ads/brands'], post: { summary: 'Create a private brand', parameters: auth, requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/BrandDocument' } } } }, responses: { 201: ok('Brand'), 400: err, 403: err } } };
  paths['/ads/templates/{template_id}'] = {
    ...paths['/ads/templates/{template_id}'],
    put: { summary: 'Update a private template (new version; jobs keep the version they used)', parameters: [...auth, idParam('template_id')], responses: { 200: ok('Template'), 400: err, 404: err } },
    delete: { summary: 'Delete a private template', parameters: [...auth, idParam('template_id')], responses: { 204: { description: 'Deleted' }, 404: err } },
  };
  // The hosted-app task protocol lives at the root (the @inferencesh/sdk appends these paths to its baseUrl), hence its own `servers`.
  const root = [{ url: publicUrl, description: 'The hosted-app task protocol: point the @inferencesh/sdk baseUrl here' }];
  const bearer = [{ in: 'header', name: 'Authorization', required: true, schema: { type: 'string' }, description: 'Bearer <Adsmith token> (api_token works too).' }];
  const problem = { description: 'RFC 9457 problem: {type, title, status, detail, code, message} (message repeats detail for the Python SDK)', content: { 'application/problem+json': { schema: { type: 'object' } } } };
  const task = ok('{success, data: task {id, status (2 queued, 7 running, 10 completed, 11 failed, 12 cancelled), status_text, app, input, output {scenes[], output_meta}, error, progress, created_at, updated_at}}');
  Object.assign(extra, {
    '/apps/run': {
      servers: root,
      post: {
        summary: 'Start a task of bria/ads-generate or adsmith/ads-generate (a @version suffix is accepted): {app, input (contract/inference-app/input_schema.json), webhook?, wait?}. A task is an Adsmith job.',
        parameters: bearer,
        requestBody: { content: { 'application/json': { schema: { type: 'object', required: ['app', 'input'], properties: { app: { type: 'string' }, input: APP_INPUT_SCHEMA, webhook: { type: 'string' }, wait: { type: 'boolean' } } } } } },
        responses: { 200: task, 400: problem, 401: problem, 403: problem, 404: problem, 422: problem },
      },
    },
    '/tasks/{id}': { servers: root, get: { summary: 'The task; `output` follows contract/inference-app/output_schema.json', parameters: [...bearer, idParam('id')], responses: { 200: task, 404: problem } } },
    '/tasks/{id}/status': { servers: root, get: { summary: 'Just the status (the SDK polls this)', parameters: [...bearer, idParam('id')], responses: { 200: ok('{data: {id, status, status_text, updated_at}}'), 404: problem } } },
    '/tasks/{id}/stream': { servers: root, get: { summary: 'Every change of the task as NDJSON lines, each the whole task (heartbeats {"type":"heartbeat"}), until the line with a terminal status; Server-Sent Events with Accept: text/event-stream', parameters: [...bearer, idParam('id')], responses: { 200: { description: 'application/x-ndjson or text/event-stream' }, 404: problem } } },
    '/tasks/{id}/cancel': { servers: root, post: { summary: 'Cancel the task', parameters: [...bearer, idParam('id')], responses: { 200: task, 404: problem, 409: problem } } },
  });
  // POST /files and GET /files/{id} of the protocol share their keys with /v1/files (another server), so they are described here.
  extra['/files/{id}/upload'] = {
    servers: root,
    put: {
      summary:
        'The upload flow of the task protocol: POST /files (at the root, Bearer auth) {files: [{filename, content_type, size}]} answers {data: [{id, uri, upload_url, …}]}; PUT the raw bytes to upload_url (this path; no auth: signed, valid one hour, once); then use `uri` in the input. GET /files/{id} (root) answers the file.',
      parameters: [idParam('id')],
      responses: { 200: ok('{data: file}'), 403: problem, 409: problem, 410: problem, 413: problem, 415: problem },
    },
  };
  // The Ads Editor's API (session header from the editor link, not an API token).
  Object.assign(extra, editorOpenApiPaths());
  // What the browser engine loads: shipped fonts and server-decoded images.
  Object.assign(extra, engineOpenApiPaths(auth));
  Object.assign(paths, extra);
  useSecuritySchemes(paths);
  doc['servers'] = [{ url: `${publicUrl}/v1`, description: 'This server (ADSMITH_PUBLIC_URL)' }];
  // Either scheme works on every route that needs a token; Swagger UI's "Authorize" (/docs) fills them in.
  doc['security'] = [{ api_token: [] }, { bearer: [] }];
  // The contract's own description sends readers to Bria's sign-up and demo pages; this server's reference describes this server.
  doc['info'] = {
    title: 'Adsmith API',
    version: '0.1.0',
    description: [
      "Adsmith generates every scene of a template as a finished, on-brand image. The four `/ads` contract endpoints behave as Bria's Ads Generation API says, so Bria clients work unchanged; the rest goes beyond it (jobs, batches, webhooks, private templates and brands, files, the editor and the hosted-app task protocol).",
      '',
      '**Public assets on every server**: templates `1062` (needs a brand) and `1061` (brand-free); brands `167`, `166`, `122`, `121`, `120`.',
      '',
      '**Authorize** with the token `npm start` printed (header `api_token`, or `Authorization: Bearer`), then *Try it out*. The playground is at `/`.',
    ].join('\n'),
  };
  delete doc['externalDocs'];
  doc['components'] = {
    securitySchemes: {
      api_token: { type: 'apiKey', in: 'header', name: 'api_token', description: 'The organisation\'s API token (`npm start` prints the default one; `adsmith token create` makes more).' },
      bearer: { type: 'http', scheme: 'bearer', description: 'The same token as `Authorization: Bearer <token>` (what the @inferencesh/sdk sends).' },
    },
    schemas: {
      Error: { type: 'object', properties: { error: { type: 'object', properties: { code: { type: 'string' }, message: { type: 'string' } } } } },
      TemplateDocument: TemplateDocument as unknown,
      BrandDocument: BrandDocument as unknown,
    },
  };
  return doc;
}
