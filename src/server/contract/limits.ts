import type { TemplateDocument } from '../../engine/model/template.js';
import { AdsmithError } from '../../errors/catalogue.js';
import type { ElementOverride } from '../../node/types.js';
import type { PlanName } from '../../storage/types.js';
import { PLANS, type RenderLimits } from '../../common/plans.js';

export type { RenderLimits } from '../../common/plans.js';

/**
 * How much one request may make (issue 9: four 8192×8192 scenes at scale 2 took
 * the server to 15.3 GB): the RenderLimits (src/common/plans.ts). Each limit is
 * set by an environment variable and capped by the organisation's plan: the
 * effective limit is the smaller.
 *
 * Defaults. A scene: 40 MP. The largest ads people order are a 4K banner,
 * 3840×2160 at scale 2 = 7680×4320 = 33.2 MP, and a 1080×1920 story at scale 2
 * = 8.3 MP; 40 MP admits them with room, and refuses the 8192×8192 (67 MP) that
 * made the issue. A render holds about 4 bytes per pixel for the canvas plus
 * encoder buffers, so 40 MP bounds one render thread at a few hundred MB (see
 * bench/largest-scene.bench.ts and docs/api.md#limits). A job: 200 MP, five
 * such scenes, or a 24-scene template of 1080×1920 stories at scale 2. A
 * template: 32 scenes (public templates have 8). A text: 5,000 characters, ten
 * times the longest body copy of any ad format and still laid out in milliseconds.
 * Organisations: no cap beyond the render threads unless configured (the queue
 * is fair either way; the plans cap Free and Pro).
 */
export const DEFAULT_LIMITS: RenderLimits = {
  scenePixels: 40_000_000,
  jobPixels: 200_000_000,
  templateScenes: 32,
  textChars: 5_000,
  orgScenes: Infinity,
};

export const LIMIT_VARIABLES: Record<keyof RenderLimits, string> = {
  scenePixels: 'ADSMITH_MAX_SCENE_PIXELS',
  jobPixels: 'ADSMITH_MAX_JOB_PIXELS',
  templateScenes: 'ADSMITH_MAX_TEMPLATE_SCENES',
  textChars: 'ADSMITH_MAX_TEXT_CHARS',
  orgScenes: 'ADSMITH_MAX_ORG_SCENES',
};

/** Reads the limits from the environment; a value that is not a positive integer stops the server naming the variable. */
export function limitsFromEnv(env: NodeJS.ProcessEnv): RenderLimits {
  const out = { ...DEFAULT_LIMITS };
  for (const key of Object.keys(LIMIT_VARIABLES) as Array<keyof RenderLimits>) {
    const name = LIMIT_VARIABLES[key];
    const raw = env[name]?.trim();
    if (raw === undefined || raw === '') continue;
    const n = Number(raw.replace(/_/g, ''));
    if (!Number.isSafeInteger(n) || n < 1) throw new Error(`${name} must be a positive integer, got "${raw}"`);
    out[key] = n;
  }
  return out;
}

/** A limit's value and who sets it, for messages. */
export interface Limit {
  value: number;
  /** "ADSMITH_MAX_SCENE_PIXELS" or "the Free plan". */
  source: string;
}

export type EffectiveLimits = Record<keyof RenderLimits, Limit>;

/** min(configured, plan ceiling) for each limit. */
export function effectiveLimits(configured: RenderLimits, plan: PlanName): EffectiveLimits {
  const ceilings = PLANS[plan].limits;
  const out = {} as EffectiveLimits;
  for (const key of Object.keys(LIMIT_VARIABLES) as Array<keyof RenderLimits>) {
    const ceiling = ceilings[key] ?? Infinity;
    out[key] = ceiling < configured[key] ? { value: ceiling, source: `the ${PLANS[plan].label} plan` } : { value: configured[key], source: LIMIT_VARIABLES[key] };
  }
  return out;
}

const fmt = (n: number) => n.toLocaleString('en-US');

function checkSceneCount(template: TemplateDocument, limits: EffectiveLimits): void {
  const { value, source } = limits.templateScenes;
  if (template.scenes.length > value) {
    throw new AdsmithError('ADS_TOO_MANY_SCENES', { count: template.scenes.length, limit: fmt(value), source });
  }
}

function checkScenePixels(template: TemplateDocument, scale: number, limits: EffectiveLimits): number {
  const { value, source } = limits.scenePixels;
  let total = 0;
  template.scenes.forEach((scene, i) => {
    const width = scene.width * scale;
    const height = scene.height * scale;
    const pixels = width * height;
    if (pixels > value) {
      throw new AdsmithError('ADS_SCENE_TOO_LARGE', {
        scene: `scenes[${i}] ("${scene.name.slice(0, 80)}")`,
        size: `${fmt(width)}×${fmt(height)}`,
        scale,
        pixels: fmt(pixels),
        limit: fmt(value),
        source,
      });
    }
    total += pixels;
  });
  return total;
}

function checkTextLength(where: string, text: string, limits: EffectiveLimits): void {
  const { value, source } = limits.textChars;
  // Characters as people count them (code points), not UTF-16 units.
  if (text.length <= value) return;
  const chars = [...text].length;
  if (chars > value) throw new AdsmithError('ADS_TEXT_TOO_LONG', { element: where, chars: fmt(chars), limit: fmt(value), source });
}

/** At template save: scene count, each scene's size at scale 1, and the default text of each text element. */
export function checkTemplateLimits(template: TemplateDocument, limits: EffectiveLimits): void {
  checkSceneCount(template, limits);
  checkScenePixels(template, 1, limits);
  template.scenes.forEach((scene, i) =>
    scene.elements.forEach((el, j) => {
      if (el.layer_type === 'text') checkTextLength(`scenes[${i}].elements[${j}] ("${el.id}")`, el.content, limits);
    }),
  );
}

/**
 * At generate, batch and task accept: everything the job will render, after
 * scale: scene count, each scene, the job's sum, and every text the request
 * or the template puts in a text element.
 */
export function checkRequestLimits(template: TemplateDocument, elements: readonly ElementOverride[], scale: number, limits: EffectiveLimits): void {
  checkSceneCount(template, limits);
  const total = checkScenePixels(template, scale, limits);
  if (total > limits.jobPixels.value) {
    throw new AdsmithError('ADS_JOB_TOO_LARGE', {
      pixels: fmt(total),
      scenes: template.scenes.length,
      scale,
      limit: fmt(limits.jobPixels.value),
      source: limits.jobPixels.source,
    });
  }
  const layerOf = new Map<string, string>();
  for (const scene of template.scenes) for (const el of scene.elements) layerOf.set(el.id, el.layer_type);
  elements.forEach((el, i) => {
    const layer = el.layer_type ?? (el.id !== undefined ? layerOf.get(el.id) : undefined);
    const isText = layer === 'text' || (layer === undefined && /^(Heading|Body) #/.test(el.content_type ?? ''));
    if (isText && typeof el.content === 'string') checkTextLength(`elements[${i}] (${el.content_type ?? `id ${el.id ?? '?'}`})`, el.content, limits);
  });
  // A private template saved before the limit was lowered still carries its own texts.
  template.scenes.forEach((scene, i) =>
    scene.elements.forEach((el, j) => {
      if (el.layer_type === 'text') checkTextLength(`template scenes[${i}].elements[${j}] ("${el.id}")`, el.content, limits);
    }),
  );
}
