import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { BrandDocument } from '../../src/engine/model/brand.js';
import type { TemplateDocument } from '../../src/engine/model/template.js';
import { AdsmithError } from '../../src/errors/catalogue.js';
import { ensureDefaultOrg, createOrg } from '../../src/admin/index.js';
import { buildApp, type AppDeps } from '../../src/server/app.js';
import { loadConfig, type ServerConfig } from '../../src/server/config.js';
import type { EngineBindings } from '../../src/server/engine/bindings.js';

const text = (id: string, contentType: string | null, content: string) => ({
  id,
  layer_type: 'text' as const,
  content_type: contentType,
  content,
  box: { x: 10, y: 10, width: 200, height: 50 },
  style: { font_family: 'Inter', font_size: { max: 40, min: 10 }, color: '#000000' },
});
const image = (id: string, contentType: string | null) => ({
  id,
  layer_type: 'image' as const,
  content_type: contentType,
  content: '',
  box: { x: 0, y: 0, width: 100, height: 100 },
  style: {},
});

export function fixtureTemplate(id: string, requiresBrand: boolean, scenes = 2): TemplateDocument {
  return {
    schema_version: 1,
    id,
    name: `Fixture ${id}`,
    description: 'A fixture template',
    requires_brand: requiresBrand,
    scenes: Array.from({ length: scenes }, (_, i) => ({
      name: `Scene ${i + 1}`,
      width: 100 + i * 10,
      height: 50 + i * 10,
      background: { type: 'color', color: '#ffffff' },
      elements: [text(`h${i}`, 'Heading #1', 'Hello'), text(`b${i}`, 'Body #1', 'Body'), image(`img${i}`, 'Image #1')],
    })),
  } as unknown as TemplateDocument;
}

export function fixtureBrand(id: string): BrandDocument {
  const logo = { on_light: 'asset:logo.svg', on_dark: 'asset:logo.svg' };
  return {
    schema_version: 1,
    id,
    name: `Brand ${id}`,
    description: 'A fixture brand',
    colors: { primary: '#112233', secondary: '#445566', accent: '#778899', text: '#000000', background: '#ffffff' },
    fonts: { heading: { family: 'Inter' }, body: { family: 'Inter' } },
    logos: { primary: logo, icon: logo },
  } as BrandDocument;
}

/** Engine bindings with fixture assets and a checker that mirrors the engine's slot rule. */
export const fixtureEngine: EngineBindings = {
  publicTemplates: () => [fixtureTemplate('1061', false, 2), fixtureTemplate('1062', true, 3)],
  publicBrands: () => ['167', '166', '122', '121', '120'].map(fixtureBrand),
  checkRenderRequest: (req) => {
    const slots = new Set(req.template.scenes.flatMap((s) => s.elements.map((e) => e.content_type)));
    const ids = new Set(req.template.scenes.flatMap((s) => s.elements.map((e) => e.id)));
    (req.elements ?? []).forEach((el, index) => {
      if (el.id !== undefined) {
        if (!ids.has(el.id)) throw new AdsmithError('ADS_UNKNOWN_ELEMENT_ID', { index, id: el.id, template: req.template.id });
      } else if (el.content_type && !slots.has(el.content_type)) {
        throw new AdsmithError('ADS_UNKNOWN_CONTENT_TYPE', { index, content_type: el.content_type, template: req.template.id, slots: [...slots].join(', ') });
      }
    });
  },
};

export const FAKE_WORKER = new URL('./fixtures/fake-worker.ts', import.meta.url);

export function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'adsmith-test-'));
}

export async function startApp(overrides: Partial<ServerConfig> = {}, deps: AppDeps = {}) {
  const dataDir = tempDir();
  const config = loadConfig({ NODE_ENV: 'test' }, { dataDir, publicUrl: 'http://ads.test', workers: 1, logger: false, webhookBackoff: [0.05, 0.05], ...overrides });
  const { app, ctx } = await buildApp(config, { engine: fixtureEngine, workerScript: FAKE_WORKER, webhookPollMs: 50, ...deps });
  await app.ready();
  validateEveryContractResponse(app);
  const { newToken } = await ensureDefaultOrg(ctx.store, 'test-token-default-org-0001');
  void newToken;
  const token = 'test-token-default-org-0001';
  const close = async () => {
    await app.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  };
  const newOrg = async (plan = 'free', name = 'other') => createOrg(ctx.store, { name, plan });
  return { app, ctx, token, dataDir, close, newOrg };
}

/** Validators for the contract's response schemas, read from the repo's copy of the OpenAPI document. */
const contract = JSON.parse(fs.readFileSync(new URL('../../contract/bria-ads-openapi.json', import.meta.url), 'utf8')) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: object }> }> }>>;
};
const ajv = new Ajv({ strict: false, allErrors: true });

export function contractValidator(pathKey: string, method: string, status: number): ((body: unknown) => string | null) | null {
  const schema = contract.paths[pathKey]?.[method]?.responses[String(status)]?.content?.['application/json']?.schema;
  if (!schema) return null;
  const v = ajv.compile(schema);
  return (body) => (v(body) ? null : ajv.errorsText(v.errors));
}

/** Asserts the response is documented by the contract and, where it has a schema, matches it. */
export function expectContract(pathKey: string, method: string, res: { statusCode: number; body: string }): void {
  const responses = contract.paths[pathKey]?.[method]?.responses ?? {};
  if (!(String(res.statusCode) in responses)) throw new Error(`${method.toUpperCase()} ${pathKey} answered ${res.statusCode}, which the contract does not list`);
  const v = contractValidator(pathKey, method, res.statusCode);
  if (v) {
    const err = v(JSON.parse(res.body));
    if (err) throw new Error(`${method.toUpperCase()} ${pathKey} ${res.statusCode} does not match the contract schema: ${err}\n${res.body}`);
  }
}

/**
 * Statuses Adsmith adds to the contract endpoints (the contract has no schema for them).
 * 400 on the lists: a wrong value of the `include` query parameter, which is beyond the contract too.
 */
const EXTENSION_STATUSES = new Set([304, 400, 404, 413, 415, 429, 504]);

/** The contract endpoint a request hits, if any. */
function contractRoute(method: string, url: string): [string, string] | null {
  const p = url.split('?')[0] ?? '';
  const m = method.toLowerCase();
  if (m === 'post' && p === '/v1/ads/generate') return ['/ads/generate', 'post'];
  if (m === 'get' && p === '/v1/ads/brands') return ['/ads/brands', 'get'];
  if (m === 'get' && p === '/v1/ads/templates') return ['/ads/templates', 'get'];
  if (m === 'get' && /^\/v1\/ads\/templates\/[^/]+$/.test(p)) return ['/ads/templates/{template_id}', 'get'];
  return null;
}

/** Wraps `app.inject` so that every response of a contract endpoint, in every test, is checked against the contract. */
export function validateEveryContractResponse(app: { inject: (...a: never[]) => unknown }): void {
  const original = app.inject.bind(app) as (opts: unknown) => Promise<{ statusCode: number; body: string }>;
  (app as { inject: unknown }).inject = async (opts: unknown) => {
    const res = await original(opts);
    const o = typeof opts === 'string' ? { method: 'GET', url: opts } : (opts as { method?: string; url: string });
    const route = contractRoute(o.method ?? 'GET', o.url);
    if (route && !(EXTENSION_STATUSES.has(res.statusCode) && !contractValidator(route[0], route[1], res.statusCode))) expectContract(route[0], route[1], res);
    return res;
  };
}

export async function waitFor<T>(fn: () => Promise<T | null | undefined | false>, ms = 10_000, step = 25): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, step));
  }
}
