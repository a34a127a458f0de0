import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import fc from 'fast-check';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createOrg, ensureDefaultOrg } from '../../src/admin/index.js';
import { publicBrand, publicTemplate } from '../../src/assets/index.js';
import { buildApp } from '../../src/server/app.js';
import { loadConfig } from '../../src/server/config.js';
import type { ServerContext } from '../../src/server/context.js';
import { asJson, mutatedBody, weirdValue, type RawBody } from './fuzz/mutations.js';
import { multipartBody, namedUploads, queryString, uploadBytes, type UploadSamples } from './fuzz/raw-inputs.js';
import { requestSchema, schemaArbitrary, type Json } from './fuzz/schema-arbitrary.js';
import { fixtureBrand, fixtureTemplate, tempDir } from './helpers.js';
import { startReceiver } from './receiver.js';

/**
 * Fuzzing of every endpoint that takes input, through app.inject against the
 * real server (real engine, two real render threads, SQLite, the fs blob store):
 * bodies generated from the server's own /openapi.json schemas and from
 * mutations of valid requests (fuzz/mutations.ts), multipart uploads, upload
 * links and query strings (fuzz/raw-inputs.ts). Each endpoint gets FUZZ_RUNS
 * (2,000) requests. Properties:
 *   - no answer is a 5xx, none carries a stack trace, every 4xx says something;
 *   - no uncaught exception or unhandled rejection in the process;
 *   - every accepted job (generate, batch rows, tasks) ends, and each of its
 *     scene URLs answers 200 or a 4xx, never a 5xx.
 * Accepted jobs stay cheap: the valid bases use small private templates; a job
 * that needs a public template, smart image or moderation is kept for a sample
 * of one per endpoint and cancelled right after acceptance otherwise.
 * Replay a run with FUZZ_SEED=<printed seed>; endpoint i uses seed + i.
 * Webhooks and image URLs only ever name a receiver on 127.0.0.1.
 */
const SEED = process.env['FUZZ_SEED'] ? Number(process.env['FUZZ_SEED']) : Math.floor(Math.random() * 2 ** 31);
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 2000);
const TOKEN = 'fuzz-token-default-org-0123456789';
const EXPENSIVE_SAMPLE = 1;
/** An answer slower than this is a hang: the endpoint's fuzzing stops there and fails (generous: CI machines are shared). */
const ANSWER_WITHIN_MS = 30_000;

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH';
interface Req {
  method: Method;
  url: string;
  headers: Record<string, string>;
  payload?: string | Buffer;
  label: string;
}
interface Res {
  statusCode: number;
  body: string;
  headers: Record<string, unknown>;
}
/** A sample is a request, or a step that builds one at send time (it may need ids made by earlier requests). */
type Sample = Req | (() => Promise<Req>);
interface Endpoint {
  name: string;
  arb: () => fc.Arbitrary<Sample>;
  /** Called with every 2xx: tracks accepted jobs. */
  accepted?: (req: Req, res: Res) => Promise<void>;
}

let app: Awaited<ReturnType<typeof buildApp>>['app'];
let ctx: ServerContext;
let dataDir = '';
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let freeToken = '';
let openapi: Record<string, unknown>;
const fx = { tGen: '', tGenBrand: '', tPut: '', bGen: '', bPut: '', fileUrl: '', otherOrgFile: '', resultFile: '', jobDone: '', batchDone: '', taskDone: '', delivery: '' };
let samples: UploadSamples;
/** URLs of the odd uploads the server accepted (truncated images, fonts, SVGs with references): they reach the renderer. */
const oddFiles: string[] = [];
/** Any file URL: ours, an odd one, another organisation's. */
const fileUrls = (): fc.Arbitrary<string> => fc.constantFrom(fx.fileUrl, fx.fileUrl, fx.otherOrgFile, ...oddFiles);
const crashes: string[] = [];
const onCrash = (e: unknown) => crashes.push(String((e as Error)?.stack ?? e));
const summary: string[] = [];

/** Every accepted job: its org's token, and whether the fuzzer waits for it or cancelled it. */
const accepted = new Map<string, { token: string; endpoint: string; cancelled: boolean }>();
const expensiveKept = new Map<string, number>();

const inject = async (r: Req): Promise<Res> => {
  const res = await app.inject({ method: r.method, url: r.url, headers: r.headers, ...(r.payload !== undefined ? { payload: r.payload } : {}) });
  return { statusCode: res.statusCode, body: res.body, headers: res.headers };
};
const api = (method: Method, url: string, body?: unknown, token = TOKEN) =>
  inject({ method, url, headers: { api_token: token, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, ...(body !== undefined ? { payload: JSON.stringify(body) } : {}), label: 'setup' });

type Auth = 'default' | 'bearer' | 'free' | 'none' | 'bogus' | 'huge';
const authArb: fc.Arbitrary<Auth> = fc.oneof({ weight: 16, arbitrary: fc.constant<Auth>('default') }, { weight: 2, arbitrary: fc.constantFrom<Auth>('bearer', 'free') }, { weight: 1, arbitrary: fc.constantFrom<Auth>('none', 'bogus', 'huge') });
function authHeaders(a: Auth): Record<string, string> {
  switch (a) {
    case 'default':
      return { api_token: TOKEN };
    case 'bearer':
      return { authorization: `Bearer ${TOKEN}` };
    case 'free':
      return { api_token: freeToken };
    case 'none':
      return {};
    case 'bogus':
      return { api_token: 'not-a-token' };
    case 'huge':
      return { authorization: `Bearer ${'x'.repeat(8000)}` };
  }
}
const tokenOf = (h: Record<string, string>) => h['api_token'] ?? h['authorization']?.replace(/^Bearer /, '') ?? '';

function bodyRequest(method: Method, url: fc.Arbitrary<string> | string, bodies: fc.Arbitrary<RawBody>): fc.Arbitrary<Sample> {
  return fc.record({ url: typeof url === 'string' ? fc.constant(url) : url, body: bodies, auth: authArb }).map(({ url: u, body, auth }) => {
    const headers = authHeaders(auth);
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    return { method, url: u, headers, payload: body.payload, label: `${auth} auth, ${body.label}` };
  });
}

type IdSource = () => string | Promise<string>;

/** Ids no route knows, as a path segment (already percent-encoded where they need it, some malformed). */
const JUNK_IDS = ['nope', '0', '-1', '1061', '99999999999', 'a'.repeat(300), '%00', '..%2F..%2Fetc', '%E2%80%AE', 'job_', '__proto__', 'constructor', '%zz', ' ', '%', '..', '.', '%2F', '%2e%2e', 'ü', '%F0%9F%99%82', '9'.repeat(40), 'a%00b'];

/** Ids for path parameters: a finished one, a fresh one (made just before the request, so still running), and junk. */
function idArb(real: IdSource, fresh?: IdSource): fc.Arbitrary<IdSource> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.constant(real) },
    { weight: fresh ? 2 : 1, arbitrary: fc.constant(fresh ?? real) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(...JUNK_IDS).map((s) => () => s),
    },
  );
}

/** A new job, batch or task on the small template, tracked like the fuzzers' accepted ones: something to cancel mid-flight. */
const fresh = {
  job: async (): Promise<string> => {
    const id = String(parsed((await api('POST', '/v1/ads/generate', { template_id: fx.tGen, elements: [{ content_type: 'Heading #1', content: 'Cancel me' }] })).body)['request_id']);
    accepted.set(id, { token: TOKEN, endpoint: 'cancel', cancelled: false });
    return id;
  },
  batch: async (): Promise<string> => {
    const id = String(parsed((await api('POST', '/v1/ads/batch', { template_id: fx.tGen, rows: [{ key: 'a' }, { key: 'b' }] })).body)['batch_id']);
    for (const row of await ctx.store.getBatchRows(id)) if (row.jobId) accepted.set(row.jobId, { token: TOKEN, endpoint: 'cancel', cancelled: false });
    return id;
  },
  task: async (): Promise<string> => {
    const res = await inject({ method: 'POST', url: '/apps/run', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, payload: JSON.stringify({ app: 'bria/ads-generate', input: { template_id: fx.tGen } }), label: 'fresh task' });
    const id = String((parsed(res.body)['data'] as Record<string, unknown> | undefined)?.['id']);
    accepted.set(id, { token: TOKEN, endpoint: 'cancel', cancelled: false });
    return id;
  },
};

function idBodyRequest(method: Method, pathOf: (id: string) => string, ids: fc.Arbitrary<IdSource>): fc.Arbitrary<Sample> {
  const bodies = fc.oneof({ weight: 3, arbitrary: fc.constant<RawBody>({ payload: '', contentType: undefined, label: 'no body' }) }, { weight: 2, arbitrary: mutatedBody(weirdValue) });
  return fc.record({ id: ids, body: bodies, auth: authArb }).map(({ id, body, auth }) => async () => {
    const headers = authHeaders(auth);
    if (body.contentType !== undefined) headers['content-type'] = body.contentType;
    const raw = await id();
    return { method, url: pathOf(raw), headers, payload: body.payload, label: `${auth} auth, id ${JSON.stringify(raw.slice(0, 30))}, ${body.label}` };
  });
}

const text = fc.oneof(fc.constantFrom('Hi', 'Summer sale', 'مرحبا', '🙂 sale', 'Über 50% off', ''), fc.string({ maxLength: 40 }).filter((s) => !/http|\/\//i.test(s)));

function generateBases(): fc.Arbitrary<Json> {
  const el = fc.oneof(
    text.map((c) => ({ content_type: 'Heading #1', content: c })),
    text.map((c) => ({ layer_type: 'text', content_type: 'Body #1', content: c })),
    text.map((c) => ({ id: 'h0', content: c })),
    fileUrls().map((url) => ({ content_type: 'Image #1', content: url })),
    fc.constant({ layer_type: 'image', content_type: 'Image #1', content: receiver.url('/not-an-image.png') }),
  );
  const extras = fc.record(
    { output_format: fc.constantFrom('png', 'jpeg', 'webp'), scale: fc.constantFrom(1, 2), max_kb: fc.constantFrom(1, 5, 50), webhook_url: fc.constant(receiver.url('/hook')) },
    { requiredKeys: [] },
  );
  const cheap = fc.tuple(fc.array(el, { maxLength: 4 }), extras, fc.boolean()).map(([elements, more, numeric]) => ({ template_id: numeric ? Number(fx.tGen) : fx.tGen, elements, ...more }) as Json);
  const branded = fc.tuple(fc.array(el, { maxLength: 3 }), fc.constantFrom(fx.bGen, '167', '120')).map(([elements, brand]) => ({ template_id: fx.tGenBrand, brand_id: brand, elements }) as Json);
  const costly = fc.constantFrom<Json>(
    { template_id: '1061', elements: [{ content_type: 'Heading #1', content: 'Public' }] },
    { template_id: '1062', brand_id: '167', smart_image: { input_image_url: fx.fileUrl, scene: { operation: 'lifestyle_shot_by_text', input: '#F3E9DC' } } },
    { template_id: fx.tGen, content_moderation: true, elements: [{ content_type: 'Heading #1', content: 'Clean words' }] },
  );
  return fc.oneof({ weight: 6, arbitrary: cheap }, { weight: 3, arbitrary: branded }, { weight: 1, arbitrary: costly });
}

/** Interesting values by property name, mixed into schema-derived bodies so that some of them are accepted. */
function pools(): Record<string, fc.Arbitrary<Json>> {
  return {
    template_id: fc.constantFrom<Json>(fx.tGen, Number(fx.tGen), fx.tGenBrand, '1061', 'nope'),
    brand_id: fc.constantFrom<Json>(fx.bGen, '167', null, 'nope'),
    input_image_url: fc.oneof(fileUrls(), fc.constantFrom<Json>(receiver.url('/x.png'), 'file:///etc/passwd', 'data:image/png;base64,AAAA')),
    main_object_url: fc.constantFrom<Json>(fx.fileUrl, 'nope'),
    webhook_url: fc.constantFrom<Json>(receiver.url('/hook'), 'ftp://127.0.0.1/x', 'not a url'),
    content: fc.oneof(text, fileUrls()),
    id: fc.constantFrom<Json>('h0', 'b0', 'img0', 'nope'),
    content_type: fc.constantFrom<Json>('Heading #1', 'Body #1', 'Image #1', 'Heading #9'),
    app: fc.constantFrom<Json>('bria/ads-generate', 'adsmith/ads-generate', 'adsmith/ads-generate@1', 'other/app'),
    // A sync request waits for its job (and may answer 504 by design): never true here, see the send loop.
    sync: fc.constant(false),
    wait: fc.constant(false),
  };
}

function schemaBodies(pathKey: string, method: string): fc.Arbitrary<RawBody> {
  const schema = requestSchema(openapi, pathKey, method);
  if (!schema) throw new Error(`/openapi.json has no JSON request body for ${method.toUpperCase()} ${pathKey}`);
  return asJson(schemaArbitrary(schema, openapi, pools()), `from the OpenAPI schema of ${method.toUpperCase()} ${pathKey}`);
}

const templateBases = (): fc.Arbitrary<Json> =>
  fc.constantFrom<Json>(fixtureTemplate('x', false, 2) as unknown as Json, fixtureTemplate('x', true, 1) as unknown as Json, publicTemplate('1061') as unknown as Json, publicTemplate('1062') as unknown as Json);
const brandBases = (): fc.Arbitrary<Json> =>
  fc.oneof(fileUrls().map((url) => ownBrand(url) as unknown as Json), fc.constantFrom<Json>(publicBrand('167') as unknown as Json, publicBrand('120') as unknown as Json));
/** A private brand whose logos are the uploaded PNG. */
const ownBrand = (url = fx.fileUrl) => {
  const logo = { on_light: url, on_dark: url };
  return { ...fixtureBrand('x'), logos: { primary: logo, icon: logo } };
};
const parsed = (p: string | Buffer | undefined): Record<string, unknown> => {
  try {
    const v = JSON.parse(String(p ?? '')) as unknown;
    return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
  } catch {
    return {};
  }
};
/** A job the fuzzer would rather not render in full: anything but the small private templates, or smart image, or moderation. */
function expensive(b: Record<string, unknown>): boolean {
  const rows = Array.isArray(b['rows']) ? (b['rows'] as Array<Record<string, unknown> | null>) : [];
  const defaults = (b['defaults'] ?? {}) as Record<string, unknown>;
  return ![fx.tGen, fx.tGenBrand].includes(String(b['template_id'])) || Boolean(b['smart_image']) || Boolean(defaults['smart_image']) || rows.some((r) => Boolean(r?.['smart_image'])) || b['content_moderation'] === true;
}
/** Keeps EXPENSIVE_SAMPLE expensive jobs per endpoint; says whether to cancel this one. */
function shouldCancel(endpoint: string, b: Record<string, unknown>): boolean {
  if (!expensive(b)) return false;
  const kept = expensiveKept.get(endpoint) ?? 0;
  if (kept < EXPENSIVE_SAMPLE) {
    expensiveKept.set(endpoint, kept + 1);
    return false;
  }
  return true;
}

function endpoints(): Endpoint[] {
  const generate: Endpoint = {
    name: 'POST /v1/ads/generate',
    arb: () => bodyRequest('POST', '/v1/ads/generate', fc.oneof(schemaBodies('/ads/generate', 'post'), mutatedBody(generateBases()))),
    accepted: async (req, res) => {
      const id = (parsed(res.body)['request_id'] as string | undefined) ?? '';
      if (!id) return;
      const token = tokenOf(req.headers);
      const cancel = shouldCancel('generate', parsed(req.payload));
      accepted.set(id, { token, endpoint: 'generate', cancelled: cancel });
      if (cancel) await api('POST', `/v1/jobs/${id}/cancel`, undefined, token);
    },
  };
  const batchBases = fc
    .tuple(generateBases(), fc.array(fc.record({ key: fc.string({ minLength: 1, maxLength: 8 }), elements: fc.array(fc.record({ content_type: fc.constant('Heading #1'), content: text }), { maxLength: 2 }) }, { requiredKeys: [] }), { minLength: 1, maxLength: 3 }))
    .map(([g, rows]) => {
      const { elements, ...shared } = g as Record<string, Json>;
      return { ...shared, defaults: { elements: elements ?? [] }, rows } as Json;
    });
  const batch: Endpoint = {
    name: 'POST /v1/ads/batch',
    arb: () => bodyRequest('POST', '/v1/ads/batch', fc.oneof(schemaBodies('/ads/batch', 'post'), mutatedBody(batchBases))),
    accepted: async (req, res) => {
      const id = (parsed(res.body)['batch_id'] as string | undefined) ?? '';
      if (!id) return;
      const token = tokenOf(req.headers);
      const cancel = shouldCancel('batch', parsed(req.payload));
      if (cancel) await api('POST', `/v1/ads/batch/${id}/cancel`, undefined, token);
      for (const row of await ctx.store.getBatchRows(id)) if (row.jobId) accepted.set(row.jobId, { token, endpoint: 'batch', cancelled: cancel });
    },
  };
  const runBases = fc.tuple(generateBases(), fc.constantFrom('bria/ads-generate', 'adsmith/ads-generate', 'bria/ads-generate@0.1.0'), fc.boolean()).map(([g, appName, hook]) => {
    const { webhook_url: _w, output_format: _f, scale: _s, max_kb: _k, ...input } = g as Record<string, Json>;
    void [_w, _f, _s, _k];
    return { app: appName, input: { ...input, template_id: String(input['template_id']) }, ...(hook ? { webhook: receiver.url('/task-hook') } : {}) } as Json;
  });
  const appsRun: Endpoint = {
    name: 'POST /apps/run',
    arb: () => bodyRequest('POST', '/apps/run', fc.oneof(schemaBodies('/apps/run', 'post'), mutatedBody(runBases))),
    accepted: async (req, res) => {
      const id = ((parsed(res.body)['data'] ?? {}) as Record<string, unknown>)['id'] as string | undefined;
      if (!id) return;
      const token = tokenOf(req.headers);
      const cancel = shouldCancel('apps', (parsed(req.payload)['input'] ?? {}) as Record<string, unknown>);
      accepted.set(id, { token, endpoint: 'apps', cancelled: cancel });
      if (cancel) await inject({ method: 'POST', url: `/tasks/${id}/cancel`, headers: { authorization: `Bearer ${token}` }, label: 'cancel' });
    },
  };
  const assetBodies = (kind: 'template' | 'brand') =>
    fc.oneof(asJson(schemaArbitrary({ $ref: `#/components/schemas/${kind === 'template' ? 'TemplateDocument' : 'BrandDocument'}` }, openapi, pools()), `from the ${kind} schema`), mutatedBody(kind === 'template' ? templateBases() : brandBases()));
  const putIds = (real: () => string) => idArb(real).map((f) => String(f()));
  const taskFileBases = fc.array(
    fc.record({ filename: fc.oneof(fc.constantFrom('a.png', 'font.woff2', '../x', ''), fc.string({ maxLength: 20 })), content_type: fc.constantFrom('image/png', 'font/woff2', 'text/html'), size: fc.constantFrom(10, 0, 15 * 1024 * 1024 + 1), path: fc.constantFrom('a/b.png', '') }, { requiredKeys: [] }),
    { minLength: 1, maxLength: 3 },
  ).map((files) => ({ files }) as Json);
  const uploadPlan = fc.record({
    breakWhat: fc.oneof({ weight: 6, arbitrary: fc.constant('none') }, { weight: 1, arbitrary: fc.constantFrom('sig', 'exp', 'org', 'name', 'id', 'drop-sig', 'dup-sig', 'expired', 'reuse', 'no-query') }),
    file: uploadBytes(samples),
    type: fc.constantFrom<string | undefined>('application/octet-stream', 'image/png', 'application/json', 'multipart/form-data', undefined),
  });
  const listQuery = (route: string): Endpoint => ({
    name: `GET ${route}?…`,
    arb: () => fc.record({ q: queryString, auth: authArb }).map(({ q, auth }) => ({ method: 'GET' as const, url: `${route}?${q}`, headers: authHeaders(auth), label: `${auth} auth` })),
  });

  return [
    generate,
    batch,
    appsRun,
    { name: 'POST /v1/ads/templates', arb: () => bodyRequest('POST', '/v1/ads/templates', assetBodies('template')) },
    { name: 'PUT /v1/ads/templates/{id}', arb: () => bodyRequest('PUT', putIds(() => fx.tPut).map((id) => `/v1/ads/templates/${id}`), assetBodies('template')) },
    { name: 'POST /v1/ads/brands', arb: () => bodyRequest('POST', '/v1/ads/brands', assetBodies('brand')) },
    { name: 'PUT /v1/ads/brands/{id}', arb: () => bodyRequest('PUT', putIds(() => fx.bPut).map((id) => `/v1/ads/brands/${id}`), assetBodies('brand')) },
    { name: 'POST /v1/files (multipart)', arb: () => bodyRequest('POST', '/v1/files', fc.oneof({ weight: 6, arbitrary: multipartBody(samples) }, { weight: 1, arbitrary: mutatedBody(weirdValue) })) },
    { name: 'POST /v1/jobs/{id}/cancel', arb: () => idBodyRequest('POST', (id) => `/v1/jobs/${id}/cancel`, idArb(() => fx.jobDone, fresh.job)) },
    { name: 'POST /v1/ads/batch/{id}/cancel', arb: () => idBodyRequest('POST', (id) => `/v1/ads/batch/${id}/cancel`, idArb(() => fx.batchDone, fresh.batch)) },
    { name: 'POST /v1/webhooks/deliveries/{id}/replay', arb: () => idBodyRequest('POST', (id) => `/v1/webhooks/deliveries/${id}/replay`, idArb(() => fx.delivery)) },
    { name: 'POST /tasks/{id}/cancel', arb: () => idBodyRequest('POST', (id) => `/tasks/${id}/cancel`, idArb(() => fx.taskDone, fresh.task)) },
    { name: 'POST /files (task protocol)', arb: () => bodyRequest('POST', '/files', mutatedBody(taskFileBases)) },
    {
      name: 'PUT /files/{id}/upload',
      arb: () =>
        uploadPlan.map((plan) => async (): Promise<Req> => {
          const made = await api('POST', '/files', { files: [{ filename: `f.${plan.file.name}`, content_type: 'application/octet-stream', size: plan.file.bytes.length }] });
          const link = new URL((parsed(made.body)['data'] as Array<{ upload_url: string }> | undefined)?.[0]?.upload_url ?? 'http://ads.test/files/x/upload');
          const q = link.searchParams;
          let id = link.pathname.split('/')[2] ?? '';
          switch (plan.breakWhat) {
            case 'sig':
              q.set('sig', (q.get('sig') ?? '').replace(/^./, (c) => (c === 'a' ? 'b' : 'a')));
              break;
            case 'exp':
              q.set('exp', String(Number(q.get('exp')) + 1));
              break;
            case 'org':
              q.set('org', 'org_someone_else');
              break;
            case 'name':
              q.set('name', '../../evil.svg');
              break;
            case 'id':
              id = `${id.slice(0, -1)}A`;
              break;
            case 'drop-sig':
              q.delete('sig');
              break;
            case 'dup-sig':
              q.append('sig', q.get('sig') ?? '');
              break;
            case 'expired':
              q.set('exp', '1');
              break;
            case 'reuse':
              await inject({ method: 'PUT', url: `/files/${id}/upload?${q}`, headers: { 'content-type': 'application/octet-stream' }, payload: samples.png, label: 'first use' });
              break;
            case 'no-query':
              for (const k of [...q.keys()]) q.delete(k);
              break;
          }
          return { method: 'PUT', url: `/files/${id}/upload?${q}`, headers: plan.type ? { 'content-type': plan.type } : {}, payload: plan.file.bytes, label: `${plan.breakWhat} link, ${plan.file.name} bytes, ${plan.type ?? 'no content-type'}` };
        }),
    },
    ...LIST_ROUTES.map(listQuery),
    {
      name: 'GET by id (13 routes)',
      arb: () => {
        const file = () => new URL(fx.fileUrl).pathname.split('/').pop() ?? '';
        const routes: Array<[(id: string) => string, () => string]> = [
          [(id) => `/v1/jobs/${id}`, () => fx.jobDone],
          [(id) => `/v1/ads/templates/${id}`, () => fx.tGen],
          [(id) => `/v1/ads/templates/${id}/document`, () => fx.tGen],
          [(id) => `/v1/ads/templates/${id}/versions`, () => fx.tGen],
          [(id) => `/v1/ads/templates/${fx.tGen}/versions/${id}`, () => '1'],
          [(id) => `/v1/ads/brands/${id}`, () => fx.bGen],
          [(id) => `/v1/ads/brands/${id}/versions`, () => fx.bGen],
          [(id) => `/v1/files/${id}`, file],
          [(id) => `/v1/results/${id}`, () => fx.resultFile],
          [(id) => `/v1/ads/batch/${id}`, () => fx.batchDone],
          [(id) => `/tasks/${id}`, () => fx.taskDone],
          [(id) => `/tasks/${id}/status`, () => fx.taskDone],
          [(id) => `/files/${id}`, file],
        ];
        return fc
          .record({ route: fc.constantFrom(...routes), id: fc.constantFrom(...JUNK_IDS), real: fc.boolean(), auth: authArb })
          .map(({ route: [pathOf, real], id, real: useReal, auth }) => {
            const raw = useReal ? real() : id;
            return { method: 'GET' as const, url: pathOf(raw), headers: authHeaders(auth), label: `${auth} auth, id ${JSON.stringify(raw.slice(0, 30))}` };
          });
      },
    },
  ];
}

/** Uploads bytes through POST /v1/files; the file's URL, or throws with the answer. */
async function uploadFile(token: string, filename: string, bytes: Buffer): Promise<string> {
  const b = 'fuzzsetup';
  const res = await inject({
    method: 'POST',
    url: '/v1/files',
    headers: { api_token: token, 'content-type': `multipart/form-data; boundary=${b}` },
    payload: Buffer.concat([Buffer.from(`--${b}\r\nContent-Disposition: form-data; name="file"; filename="${filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`), bytes, Buffer.from(`\r\n--${b}--\r\n`)]),
    label: 'setup',
  });
  const url = parsed(res.body)['url'];
  if (res.statusCode !== 201 || typeof url !== 'string') throw new Error(`upload of ${filename} answered ${res.statusCode}: ${res.body}`);
  return url;
}

async function jobEnded(id: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while ((await ctx.store.getJob(id))?.status === 'IN_PROGRESS' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

/** What is wrong with an answer, or null. */
function judge(res: Res): string | null {
  if (res.statusCode >= 500) return `answered ${res.statusCode}`;
  if (/\n\s+at |node_modules|\.ts:\d+|\/work\//.test(res.body)) return 'the answer shows a stack trace or a server path';
  if (res.statusCode >= 400) {
    if (res.body.length < 10) return 'an error without a message';
    try {
      JSON.parse(res.body);
    } catch {
      return 'an error whose body is not JSON';
    }
  }
  return null;
}

const histogram = (codes: Map<number, number>) =>
  [...codes.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([c, n]) => `${c}×${n}`)
    .join(' ');

const LIST_ROUTES = ['/v1/jobs', '/v1/ads/batch', '/v1/files', '/v1/ads/brands', '/v1/ads/templates', '/v1/webhooks/deliveries', '/v1/org'];
// The endpoint list is fixed at collection time; the arbitraries need ids made in beforeAll. The list routes go
// first, while the lists are short (their cost grows with what the other fuzzers store); the last test lists
// everything the fuzzers stored once more.
const NAMES = [
  ...LIST_ROUTES.map((r) => `GET ${r}?…`),
  'POST /v1/ads/generate', 'POST /v1/ads/batch', 'POST /apps/run', 'POST /v1/ads/templates', 'PUT /v1/ads/templates/{id}', 'POST /v1/ads/brands', 'PUT /v1/ads/brands/{id}',
  'POST /v1/files (multipart)', 'POST /v1/jobs/{id}/cancel', 'POST /v1/ads/batch/{id}/cancel', 'POST /v1/webhooks/deliveries/{id}/replay', 'POST /tasks/{id}/cancel',
  'POST /files (task protocol)', 'PUT /files/{id}/upload', 'GET by id (13 routes)',
];
let byName = new Map<string, Endpoint>();

beforeAll(async () => {
  process.on('uncaughtException', onCrash);
  process.on('unhandledRejection', onCrash);
  console.log(`fuzz seed ${SEED}, ${RUNS} requests per endpoint (replay: FUZZ_SEED=${SEED} npx vitest run test/server/fuzz.test.ts)`);
  dataDir = tempDir();
  receiver = await startReceiver(204);
  const config = loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://ads.test', workers: 2, logger: false, allowPrivateUrls: true, syncTimeout: 2, webhookBackoff: [0.05, 0.05] });
  const built = await buildApp(config, { webhookPollMs: 50 });
  app = built.app;
  ctx = built.ctx;
  await app.ready();
  await ensureDefaultOrg(ctx.store, TOKEN);
  freeToken = (await createOrg(ctx.store, { name: 'fuzz-free', plan: 'free' })).token;
  openapi = JSON.parse((await app.inject('/openapi.json')).body) as Record<string, unknown>;

  const png = await sharp({ create: { width: 24, height: 16, channels: 3, background: '#3366cc' } }).png().toBuffer();
  const woff2Path = path.join(path.dirname(createRequire(import.meta.url).resolve('@fontsource/inter/package.json')), 'files', 'inter-latin-400-normal.woff2');
  samples = {
    png,
    jpeg: await sharp(png).jpeg().toBuffer(),
    woff2: fs.readFileSync(woff2Path),
    svg: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10"><rect width="20" height="10" fill="#c33"/></svg>'),
  };
  fx.fileUrl = await uploadFile(TOKEN, 'p.png', png);
  fx.otherOrgFile = await uploadFile((await createOrg(ctx.store, { name: 'fuzz-other', plan: 'pro' })).token, 'theirs.png', png);
  for (const u of namedUploads(samples)) {
    const url = await uploadFile(TOKEN, `odd.${u.name}`, u.bytes).catch(() => '');
    if (url && !['png', 'jpeg', 'svg'].includes(u.name)) oddFiles.push(url);
  }
  console.log(`odd uploads the server accepted: ${oddFiles.length} of ${namedUploads(samples).length - 3}`);
  const made = async (url: string, doc: unknown) => {
    const res = await api('POST', url, doc);
    if (res.statusCode !== 201) throw new Error(`setup ${url} answered ${res.statusCode}: ${res.body}`);
    return String(parsed(res.body)['id']);
  };
  fx.tGen = await made('/v1/ads/templates', fixtureTemplate('x', false, 2));
  fx.tGenBrand = await made('/v1/ads/templates', fixtureTemplate('x', true, 1));
  fx.tPut = await made('/v1/ads/templates', fixtureTemplate('x', false, 1));
  fx.bGen = await made('/v1/ads/brands', ownBrand());
  fx.bPut = await made('/v1/ads/brands', ownBrand());
  // Input moderation loads the NSFW model on first use, inside the request: load it here, not in a timed one.
  const warm = await api('POST', '/v1/ads/generate', { template_id: fx.tGen, content_moderation: true, elements: [{ content_type: 'Image #1', content: fx.fileUrl }] });
  if (warm.statusCode !== 200) throw new Error(`setup moderation warm-up answered ${warm.statusCode}: ${warm.body}`);
  const jobRes = await api('POST', '/v1/ads/generate', { template_id: fx.tGen, webhook_url: receiver.url('/hook') });
  if (jobRes.statusCode !== 200) throw new Error(`setup generate answered ${jobRes.statusCode}: ${jobRes.body}`);
  fx.jobDone = String(parsed(jobRes.body)['request_id']);
  fx.resultFile = new URL(String((parsed(jobRes.body)['result'] as Array<{ url: string }>)[0]?.url)).pathname.split('/').pop() ?? '';
  const batch = parsed((await api('POST', '/v1/ads/batch', { template_id: fx.tGen, rows: [{ key: 'a' }] })).body);
  fx.batchDone = String(batch['batch_id']);
  const task = parsed((await inject({ method: 'POST', url: '/apps/run', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, payload: JSON.stringify({ app: 'bria/ads-generate', input: { template_id: fx.tGen } }), label: 'setup' })).body);
  fx.taskDone = String((task['data'] as Record<string, unknown>)['id']);
  const batchJob = (await ctx.store.getBatchRows(fx.batchDone))[0]?.jobId ?? '';
  for (const id of [fx.jobDone, batchJob, fx.taskDone]) await jobEnded(id, 30_000);
  for (let i = 0; i < 100 && !fx.delivery; i++) {
    fx.delivery = (await ctx.store.listDeliveries((await ctx.store.getJob(fx.jobDone))!.orgId, 1))[0]?.id ?? '';
    if (!fx.delivery) await new Promise((r) => setTimeout(r, 50));
  }
  if (Object.values(fx).some((v) => !v || v === 'undefined')) throw new Error(`fuzz setup incomplete: ${JSON.stringify(fx)}`);
  byName = new Map(endpoints().map((e) => [e.name, e]));
}, 120_000);

afterAll(async () => {
  process.off('uncaughtException', onCrash);
  process.off('unhandledRejection', onCrash);
  console.log(`fuzz summary (seed ${SEED}):\n${summary.join('\n')}`);
  await app?.close();
  receiver?.close();
  if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
});

describe(`fuzzing every endpoint that takes input (${RUNS} requests each): no 5xx, no crash`, () => {
  NAMES.forEach((name, index) => {
    it(name, async () => {
      const ep = byName.get(name);
      if (!ep) throw new Error(`no endpoint ${name}`);
      const seed = SEED + index;
      const drawn = fc.sample(ep.arb(), { seed, numRuns: RUNS });
      const codes = new Map<number, number>();
      const failures: string[] = [];
      let slowest = 0;
      const t0 = performance.now();
      for (const [i, sample] of drawn.entries()) {
        const req = typeof sample === 'function' ? await sample() : sample;
        // `sync`/`wait` hold the request until the job ends and answer 504 ADS_SYNC_TIMEOUT by design when it takes longer: not fuzzed.
        if (typeof req.payload === 'string') req.payload = req.payload.replace(/"(sync|wait)":true/g, '"$1":false');
        const sent = performance.now();
        const res = await Promise.race([inject(req), new Promise<null>((r) => setTimeout(() => r(null), ANSWER_WITHIN_MS).unref())]);
        if (!res) {
          failures.push(`sample ${i} (seed ${seed}): ${req.method} ${req.url.slice(0, 120)} [${req.label}] no answer within ${ANSWER_WITHIN_MS / 1000} s\n  body: ${String(req.payload ?? '').slice(0, 400)}`);
          break;
        }
        slowest = Math.max(slowest, performance.now() - sent);
        codes.set(res.statusCode, (codes.get(res.statusCode) ?? 0) + 1);
        const problem = judge(res);
        if (problem) failures.push(`sample ${i} (seed ${seed}): ${req.method} ${req.url.slice(0, 120)} [${req.label}] ${problem}: ${res.body.slice(0, 300)}\n  body: ${String(req.payload ?? '').slice(0, 400)}`);
        else if (res.statusCode < 300 && ep.accepted) await ep.accepted(req, res);
      }
      const line = `${name}: ${drawn.length} requests in ${((performance.now() - t0) / 1000).toFixed(1)} s, seed ${seed}, statuses ${histogram(codes)}, slowest answer ${slowest.toFixed(0)} ms`;
      summary.push(line);
      console.log(line);
      expect(failures.slice(0, 5)).toEqual([]);
      expect(crashes).toEqual([]);
    }, 120_000);
  });

  it('every accepted job ends, and every one of its scene URLs answers 200 or a 4xx', async () => {
    const t0 = performance.now();
    const deadline = Date.now() + 90_000;
    const ids = [...accepted.keys()];
    for (const id of ids) await jobEnded(id, Math.max(0, deadline - Date.now()));
    const waited = (performance.now() - t0) / 1000;
    const sceneCodes = new Map<number, number>();
    const errorCodes = new Map<string, number>();
    const bad: string[] = [];
    const stillRunning: string[] = [];
    let scenes = 0;
    for (const id of ids) {
      const info = accepted.get(id)!;
      const status = parsed((await api('GET', `/v1/jobs/${id}`, undefined, info.token)).body);
      if (status['status'] === 'IN_PROGRESS') stillRunning.push(id);
      for (const r of (status['result'] ?? []) as Array<{ url: string }>) {
        const res = await inject({ method: 'GET', url: new URL(r.url).pathname, headers: {}, label: 'scene' });
        scenes++;
        sceneCodes.set(res.statusCode, (sceneCodes.get(res.statusCode) ?? 0) + 1);
        if (res.statusCode >= 400) {
          const code = String(((parsed(res.body)['error'] ?? {}) as Record<string, unknown>)['code'] ?? res.statusCode);
          errorCodes.set(code, (errorCodes.get(code) ?? 0) + 1);
        }
        if (res.statusCode >= 500) bad.push(`${info.endpoint} job ${id}${info.cancelled ? ' (cancelled)' : ''}: ${r.url} answered ${res.statusCode}: ${res.body.slice(0, 300)}`);
      }
    }
    const kept = ids.filter((id) => !accepted.get(id)!.cancelled).length;
    const line = `accepted jobs: ${ids.length} (${kept} left to render, ${ids.length - kept} cancelled after acceptance), all final ${waited.toFixed(1)} s after the last request; ${scenes} scene URLs: ${histogram(sceneCodes)} (${[...errorCodes].map(([c, n]) => `${c}×${n}`).join(' ')})`;
    summary.push(line);
    console.log(line);
    expect(ids.length).toBeGreaterThan(0);
    expect(stillRunning).toEqual([]);
    expect(bad.slice(0, 5)).toEqual([]);
    expect(crashes).toEqual([]);
    // The server still serves after all that, and lists everything the fuzzers stored.
    expect((await app.inject('/healthz')).statusCode).toBe(200);
    for (const route of LIST_ROUTES) {
      const res = await api('GET', route);
      expect(res.statusCode, `${route}: ${res.body.slice(0, 300)}`).toBe(200);
    }
  }, 120_000);
});
