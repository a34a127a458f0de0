import { describe, expect, it } from 'vitest';
import { modelSettingsFromEnv, parseNsfwThresholds } from '../../src/jobs/model-settings.js';
import { loadConfig } from '../../src/server/config.js';

describe('model settings from the environment', () => {
  it('NSFW thresholds: any subset, case-insensitive, each 0…1', () => {
    expect(parseNsfwThresholds(undefined)).toEqual({});
    expect(parseNsfwThresholds(' porn=0.7 , SEXY=0.9')).toEqual({ Porn: 0.7, Sexy: 0.9 });
    expect(parseNsfwThresholds('combined=1,hentai=0')).toEqual({ combined: 1, Hentai: 0 });
  });

  it('a bad threshold names the variable, the part and the rule', () => {
    for (const raw of ['porn=1.5', 'nudity=0.5', 'porn', 'porn=abc', 'porn=0.5,,sexy=0.2']) {
      expect(() => parseNsfwThresholds(raw), raw).toThrow(/^ADSMITH_NSFW_THRESHOLDS must be a comma list of name=value with names porn, hentai, sexy, combined and values from 0 to 1/);
    }
  });

  it('preload is on for a real start and off under tests unless asked; model folders and allow-list pass through', () => {
    expect(modelSettingsFromEnv({}).preload).toBe(true);
    expect(modelSettingsFromEnv({ NODE_ENV: 'test' }).preload).toBe(false);
    expect(modelSettingsFromEnv({ NODE_ENV: 'test', ADSMITH_PRELOAD_MODELS: 'yes' }).preload).toBe(true);
    expect(() => modelSettingsFromEnv({ ADSMITH_PRELOAD_MODELS: 'maybe' })).toThrow(/ADSMITH_PRELOAD_MODELS must be 1\/true\/yes or 0\/false\/no/);
    const s = modelSettingsFromEnv({ ADSMITH_CUTOUT_MODEL_DIR: '/models/isnet', ADSMITH_MODERATION_WASM_DIR: '/models/wasm', ADSMITH_PROFANITY_ALLOW: 'Dickens, Cumbria ' });
    expect(s.smartImage.cutout.modelDir).toBe('/models/isnet');
    expect(s.moderationWasmDir).toBe('/models/wasm');
    expect(s.profanityAllow).toEqual(['Dickens', 'Cumbria']);
  });

  it('the server refuses to start on a bad model variable (main.ts prints it and exits 2)', () => {
    expect(() => loadConfig({ ADSMITH_NSFW_THRESHOLDS: 'porn=2' })).toThrow(/ADSMITH_NSFW_THRESHOLDS/);
    expect(() => loadConfig({ ADSMITH_SMART_IMAGE_PROVIDER: 'dalle' })).toThrow(/ADSMITH_SMART_IMAGE_PROVIDER must be one of offline, bria, openai/);
  });
});
