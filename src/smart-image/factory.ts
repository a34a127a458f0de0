import type { CutoutOptions, IsnetVariant } from './cutout.js';
import { BriaProvider } from './remote/bria.js';
import { OpenAiImagesProvider } from './remote/openai.js';
import { DEFAULT_SDWEBUI_SETTINGS, SdWebUiProvider, type SdLifestyleMode, type SdWebUiSettings } from './remote/sdwebui.js';
import { OfflineSmartImageService, type SmartImageEvent } from './service.js';
import type { SmartImageProvider } from './types.js';
import { DEFAULT_REMOTE_LIMITS, type RemoteLimits } from './remote/limits.js';

export { DEFAULT_REMOTE_LIMITS, type RemoteLimits } from './remote/limits.js';

/**
 * Which generative back end a smart-image request uses. `offline` runs everything here
 * (ISNet cut-out, procedural scenes, content-aware expand); the remote ones are tried first
 * and fall back to offline on any failure (recorded in the result).
 */
export const SMART_IMAGE_PROVIDERS = ['offline', 'bria', 'openai', 'sdwebui'] as const;
export type SmartImageProviderName = (typeof SMART_IMAGE_PROVIDERS)[number];


export interface BriaConfig {
  /** ADSMITH_BRIA_BASE_URL, default https://engine.prod.bria-api.com */
  baseUrl: string;
  /** ADSMITH_BRIA_API_TOKEN (sent as the `api_token` header). */
  apiToken: string;
}

export interface OpenAiConfig {
  /** ADSMITH_OPENAI_BASE_URL, default https://api.openai.com/v1 */
  baseUrl: string;
  /** ADSMITH_OPENAI_API_KEY (sent as `Authorization: Bearer …`). */
  apiKey: string;
  /** ADSMITH_OPENAI_MODEL, default gpt-image-1 */
  model: string;
}

export interface SdWebUiConfig {
  /** ADSMITH_SDWEBUI_BASE_URL, default http://127.0.0.1:7860 (the WebUI's own default; `/sdapi/v1/…` is appended). */
  baseUrl: string;
  /** ADSMITH_SDWEBUI_AUTH, `user:password` of a server started with --api-auth (sent as HTTP Basic); none by default. */
  auth?: string;
  /**
   * ADSMITH_SDWEBUI_MODEL (checkpoint), _SAMPLER, _STEPS (25), _CFG_SCALE (7), _SIZE (1024: the model's
   * native side), _SIZE_MULTIPLE (8, or 64), _LIFESTYLE (inpaint | txt2img).
   */
  settings: SdWebUiSettings;
}

export interface SmartImageConfig {
  provider: SmartImageProviderName;
  cutout: CutoutOptions;
  remote: RemoteLimits;
  bria?: BriaConfig;
  openai?: OpenAiConfig;
  sdwebui?: SdWebUiConfig;
}

/** A bad smart-image environment variable; `variable` names it, the message says how to fix it. */
export class SmartImageConfigError extends Error {
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`${variable} ${message}`);
    this.name = 'SmartImageConfigError';
  }
}

const GRAPH_LEVELS = ['disabled', 'basic', 'extended', 'all'] as const;


function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isInteger(n) || n < min || n > max) throw new SmartImageConfigError(name, `must be a whole number from ${min} to ${max} (got "${raw}")`);
  return n;
}

function boolVar(env: NodeJS.ProcessEnv, name: string): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '' || raw === '0' || raw === 'false' || raw === 'no') return false;
  if (raw === '1' || raw === 'true' || raw === 'yes') return true;
  throw new SmartImageConfigError(name, `must be 1/true/yes or 0/false/no (got "${env[name]}")`);
}

function urlVar(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const raw = (env[name] ?? '').trim() || fallback;
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    throw new SmartImageConfigError(name, `must be an absolute http(s) URL such as ${fallback} (got "${raw}")`);
  }
  if (u.protocol !== 'https:' && u.protocol !== 'http:') throw new SmartImageConfigError(name, `must use http or https (got "${u.protocol}")`);
  if (u.username || u.password) throw new SmartImageConfigError(name, 'must not carry credentials; put the key in its own variable');
  return raw.replace(/\/+$/, '');
}

function numberVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw.trim());
  if (!Number.isFinite(n) || n < min || n > max) throw new SmartImageConfigError(name, `must be a number from ${min} to ${max} (got "${raw}")`);
  return n;
}

function choiceVar<T extends string>(env: NodeJS.ProcessEnv, name: string, choices: readonly T[], fallback: T): T {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (!raw) return fallback;
  if (!(choices as readonly string[]).includes(raw)) throw new SmartImageConfigError(name, `must be one of ${choices.join(', ')} (got "${env[name]}")`);
  return raw as T;
}

/** ADSMITH_SDWEBUI_AUTH: optional, but when set it must be user:password as given to the WebUI's --api-auth. */
function basicAuthVar(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const v = (env[name] ?? '').trim();
  if (!v) return undefined;
  if (v.indexOf(':') < 1 || v.indexOf(':') === v.length - 1) throw new SmartImageConfigError(name, 'must be user:password, as given to the WebUI\'s --api-auth');
  return v;
}

function sdWebUiConfig(env: NodeJS.ProcessEnv): SdWebUiConfig {
  const d = DEFAULT_SDWEBUI_SETTINGS;
  const model = (env['ADSMITH_SDWEBUI_MODEL'] ?? '').trim();
  const sampler = (env['ADSMITH_SDWEBUI_SAMPLER'] ?? '').trim();
  const multiple = intVar(env, 'ADSMITH_SDWEBUI_SIZE_MULTIPLE', d.sizeMultiple, 8, 64);
  if (multiple !== 8 && multiple !== 64) throw new SmartImageConfigError('ADSMITH_SDWEBUI_SIZE_MULTIPLE', `must be 8 or 64 (got "${multiple}")`);
  const auth = basicAuthVar(env, 'ADSMITH_SDWEBUI_AUTH');
  return {
    baseUrl: urlVar(env, 'ADSMITH_SDWEBUI_BASE_URL', 'http://127.0.0.1:7860'),
    ...(auth ? { auth } : {}),
    settings: {
      ...(model ? { model } : {}),
      ...(sampler ? { sampler } : {}),
      steps: intVar(env, 'ADSMITH_SDWEBUI_STEPS', d.steps, 1, 150),
      cfgScale: numberVar(env, 'ADSMITH_SDWEBUI_CFG_SCALE', d.cfgScale, 1, 30),
      size: intVar(env, 'ADSMITH_SDWEBUI_SIZE', d.size, 256, 2048),
      sizeMultiple: multiple,
      lifestyle: choiceVar<SdLifestyleMode>(env, 'ADSMITH_SDWEBUI_LIFESTYLE', ['inpaint', 'txt2img'], d.lifestyle),
    },
  };
}

function secretVar(env: NodeJS.ProcessEnv, name: string, provider: string): string {
  const v = (env[name] ?? '').trim();
  if (!v) throw new SmartImageConfigError(name, `is required when ADSMITH_SMART_IMAGE_PROVIDER=${provider}`);
  return v;
}

/** Read the smart-image configuration from the environment; throws SmartImageConfigError naming the variable. */
export function smartImageConfigFromEnv(env: NodeJS.ProcessEnv): SmartImageConfig {
  const rawProvider = (env['ADSMITH_SMART_IMAGE_PROVIDER'] ?? '').trim().toLowerCase() || 'offline';
  if (!(SMART_IMAGE_PROVIDERS as readonly string[]).includes(rawProvider))
    throw new SmartImageConfigError('ADSMITH_SMART_IMAGE_PROVIDER', `must be one of ${SMART_IMAGE_PROVIDERS.join(', ')} (got "${env['ADSMITH_SMART_IMAGE_PROVIDER']}")`);
  const provider = rawProvider as SmartImageProviderName;

  const variant = (env['ADSMITH_CUTOUT_VARIANT'] ?? '').trim();
  if (variant && variant !== 'small' && variant !== 'medium')
    throw new SmartImageConfigError('ADSMITH_CUTOUT_VARIANT', `must be small or medium (got "${variant}")`);
  const threads = env['ADSMITH_CUTOUT_THREADS']?.trim() ? intVar(env, 'ADSMITH_CUTOUT_THREADS', 1, 1, 64) : undefined;
  const modelDir = env['ADSMITH_CUTOUT_MODEL_DIR']?.trim() || undefined;
  // ONNX Runtime graph optimisation: 'extended' (default) keeps RSS low; 'all' is ~25 % faster for +310 MB.
  const graph = (env['ADSMITH_CUTOUT_GRAPH'] ?? '').trim();
  if (graph && !GRAPH_LEVELS.includes(graph as (typeof GRAPH_LEVELS)[number]))
    throw new SmartImageConfigError('ADSMITH_CUTOUT_GRAPH', `must be one of ${GRAPH_LEVELS.join(', ')} (got "${graph}")`);

  const remote: RemoteLimits = {
    timeoutMs: intVar(env, 'ADSMITH_SMART_IMAGE_TIMEOUT_MS', DEFAULT_REMOTE_LIMITS.timeoutMs, 100, 600_000),
    retries: intVar(env, 'ADSMITH_SMART_IMAGE_RETRIES', DEFAULT_REMOTE_LIMITS.retries, 0, 10),
    backoffMs: intVar(env, 'ADSMITH_SMART_IMAGE_BACKOFF_MS', DEFAULT_REMOTE_LIMITS.backoffMs, 0, 60_000),
    maxTotalMs: intVar(env, 'ADSMITH_SMART_IMAGE_MAX_TOTAL_MS', DEFAULT_REMOTE_LIMITS.maxTotalMs, 100, 3_600_000),
    maxResultBytes: intVar(env, 'ADSMITH_SMART_IMAGE_MAX_RESULT_BYTES', DEFAULT_REMOTE_LIMITS.maxResultBytes, 1024, 512 * 1024 * 1024),
    allowLoopback: boolVar(env, 'ADSMITH_SMART_IMAGE_ALLOW_LOOPBACK'),
    cooldownMs: intVar(env, 'ADSMITH_SMART_IMAGE_COOLDOWN_MS', DEFAULT_REMOTE_LIMITS.cooldownMs, 0, 3_600_000),
  };

  const config: SmartImageConfig = {
    provider,
    cutout: {
      ...(modelDir ? { modelDir } : {}),
      ...(variant ? { variant: variant as IsnetVariant } : {}),
      ...(threads ? { threads } : {}),
      ...(graph ? { session: { graphOptimizationLevel: graph as (typeof GRAPH_LEVELS)[number] } } : {}),
    },
    remote,
  };
  if (provider === 'bria')
    config.bria = {
      baseUrl: urlVar(env, 'ADSMITH_BRIA_BASE_URL', 'https://engine.prod.bria-api.com'),
      apiToken: secretVar(env, 'ADSMITH_BRIA_API_TOKEN', 'bria'),
    };
  if (provider === 'openai')
    config.openai = {
      baseUrl: urlVar(env, 'ADSMITH_OPENAI_BASE_URL', 'https://api.openai.com/v1'),
      apiKey: secretVar(env, 'ADSMITH_OPENAI_API_KEY', 'openai'),
      model: (env['ADSMITH_OPENAI_MODEL'] ?? '').trim() || 'gpt-image-1',
    };
  if (provider === 'sdwebui') config.sdwebui = sdWebUiConfig(env);
  return config;
}

export interface CreateServiceOptions {
  /** Where fallbacks and cache hits are reported (also recorded on each result). */
  onEvent?: (e: SmartImageEvent) => void;
  /** Prepared photos kept in memory (the service's default: 16). A server that persists cut-outs elsewhere keeps few. */
  cacheSize?: number;
}

/** The remote provider a configuration names, or undefined for offline. */
export function createProvider(config: SmartImageConfig): SmartImageProvider | undefined {
  if (config.provider === 'bria' && config.bria) return new BriaProvider({ ...config.bria, limits: config.remote });
  if (config.provider === 'openai' && config.openai) return new OpenAiImagesProvider({ ...config.openai, limits: config.remote });
  if (config.provider === 'sdwebui' && config.sdwebui) return new SdWebUiProvider({ ...config.sdwebui, limits: config.remote });
  return undefined;
}

/**
 * The smart-image service for a configuration: offline, or a remote provider tried
 * first with offline fallback. Each result says who made it (`provider`) and, after
 * a fallback, why (`fallback`, `warnings`).
 */
export function createSmartImageService(config: SmartImageConfig = smartImageConfigFromEnv({}), options: CreateServiceOptions = {}): OfflineSmartImageService {
  const provider = createProvider(config);
  return new OfflineSmartImageService({
    cutout: config.cutout,
    providerCooldownMs: config.remote.cooldownMs,
    ...(options.cacheSize !== undefined ? { cacheSize: options.cacheSize } : {}),
    ...(provider ? { provider } : {}),
    ...(options.onEvent ? { onEvent: options.onEvent } : {}),
  });
}
