import { DEFAULT_IMAGE_THRESHOLDS, type ImageThresholds } from '../moderation/index.js';
import { smartImageConfigFromEnv } from '../smart-image/index.js';
import type { ModelSettings } from './models-protocol.js';

const THRESHOLD_NAMES = Object.keys(DEFAULT_IMAGE_THRESHOLDS) as Array<keyof ImageThresholds>;

/**
 * `ADSMITH_NSFW_THRESHOLDS=porn=0.7,sexy=0.9`: any of porn, hentai, sexy,
 * combined, each from 0 to 1; the others keep their defaults. Throws a message
 * naming the variable for anything else.
 */
export function parseNsfwThresholds(raw: string | undefined): Partial<ImageThresholds> {
  const out: Partial<ImageThresholds> = {};
  if (!raw?.trim()) return out;
  for (const part of raw.split(',')) {
    const m = /^\s*([a-z]+)\s*=\s*([0-9.]+)\s*$/i.exec(part);
    const name = THRESHOLD_NAMES.find((n) => n.toLowerCase() === m?.[1]?.toLowerCase());
    const value = Number(m?.[2]);
    if (!m || !name || !Number.isFinite(value) || value < 0 || value > 1) {
      throw new Error(
        `ADSMITH_NSFW_THRESHOLDS must be a comma list of name=value with names ${THRESHOLD_NAMES.map((n) => n.toLowerCase()).join(', ')} and values from 0 to 1 (e.g. "porn=0.7,sexy=0.9"); "${part.trim()}" is not`,
      );
    }
    out[name] = value;
  }
  return out;
}

function flag(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = (env[name] ?? '').trim().toLowerCase();
  if (raw === '') return fallback;
  if (['1', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'false', 'no'].includes(raw)) return false;
  throw new Error(`${name} must be 1/true/yes or 0/false/no, got "${env[name]}"`);
}

/** Model settings from the environment; throws a message naming the variable when one is wrong. */
export function modelSettingsFromEnv(env: NodeJS.ProcessEnv): ModelSettings {
  const wasmDir = env['ADSMITH_MODERATION_WASM_DIR']?.trim();
  return {
    smartImage: smartImageConfigFromEnv(env),
    nsfwThresholds: parseNsfwThresholds(env['ADSMITH_NSFW_THRESHOLDS']),
    ...(wasmDir ? { moderationWasmDir: wasmDir } : {}),
    profanityAllow: (env['ADSMITH_PROFANITY_ALLOW'] ?? '')
      .split(',')
      .map((w) => w.trim())
      .filter(Boolean),
    // A test run starts many servers; they load models only when a test uses them.
    preload: flag(env, 'ADSMITH_PRELOAD_MODELS', env['NODE_ENV'] !== 'test'),
  };
}
