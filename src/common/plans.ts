import type { PlanName } from '../storage/types.js';

/** Features a plan may include; a request that needs one outside the plan gets the contract's `Access denied: …` 403. */
export type Feature = 'private_assets' | 'webhooks' | 'smart_image' | 'content_moderation' | 'hd_output' | 'uploads';

export interface Plan {
  name: PlanName;
  /** How the quota message names the plan's users ("Free users can make up to …"). */
  label: string;
  /** Generate requests allowed in total; null = unbounded. */
  totalRequests: number | null;
  /** API requests allowed per minute per organisation. */
  perMinute: number;
  features: ReadonlySet<Feature>;
  /** Ceilings on the configured limits (src/server/contract/limits.ts); the smaller of the two applies. Absent: no ceiling. */
  limits: Partial<RenderLimits>;
}

const ALL: Feature[] = ['private_assets', 'webhooks', 'smart_image', 'content_moderation', 'hd_output', 'uploads'];

export const PLANS: Record<PlanName, Plan> = {
  free: {
    name: 'free',
    label: 'Free',
    totalRequests: 1000,
    perMinute: 60,
    features: new Set<Feature>(['smart_image', 'content_moderation', 'webhooks']),
    // No scale 2 on Free: 16 MP still takes a 4K banner (8.3 MP) at scale 1. One scene rendering at a time.
    limits: { scenePixels: 16_000_000, jobPixels: 64_000_000, templateScenes: 16, orgScenes: 1 },
  },
  pro: {
    name: 'pro',
    label: 'Pro',
    totalRequests: null,
    perMinute: 600,
    features: new Set(ALL),
    limits: { scenePixels: 40_000_000, jobPixels: 200_000_000, templateScenes: 32, orgScenes: 4 },
  },
  /** The self-hosted default organisation: no bounds beyond the configured limits. */
  unlimited: { name: 'unlimited', label: 'Unlimited', totalRequests: null, perMinute: 100_000, features: new Set(ALL), limits: {} },
};

export function isPlanName(value: string): value is PlanName {
  return value in PLANS;
}

/** The configured render limits (ADSMITH_MAX_*); each is also capped by the organisation's plan. */
export interface RenderLimits {
  /** Pixels of one scene after scale (ADSMITH_MAX_SCENE_PIXELS). */
  scenePixels: number;
  /** Pixels of all a job's scenes after scale (ADSMITH_MAX_JOB_PIXELS). */
  jobPixels: number;
  /** Scenes in one template (ADSMITH_MAX_TEMPLATE_SCENES). */
  templateScenes: number;
  /** Characters of one text element's content (ADSMITH_MAX_TEXT_CHARS). */
  textChars: number;
  /** Scenes one organisation may have rendering at once (ADSMITH_MAX_ORG_SCENES); the queue serves organisations in turn. */
  orgScenes: number;
}
