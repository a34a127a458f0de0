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
}

const ALL: Feature[] = ['private_assets', 'webhooks', 'smart_image', 'content_moderation', 'hd_output', 'uploads'];

export const PLANS: Record<PlanName, Plan> = {
  free: {
    name: 'free',
    label: 'Free',
    totalRequests: 1000,
    perMinute: 60,
    features: new Set<Feature>(['smart_image', 'content_moderation', 'webhooks']),
  },
  pro: { name: 'pro', label: 'Pro', totalRequests: null, perMinute: 600, features: new Set(ALL) },
  /** The self-hosted default organisation: no bounds. */
  unlimited: { name: 'unlimited', label: 'Unlimited', totalRequests: null, perMinute: 100_000, features: new Set(ALL) },
};

export function isPlanName(value: string): value is PlanName {
  return value in PLANS;
}
