import type { MetadataStore, NewJob, PlanName, SceneOutcome } from '../../src/storage/types.js';

/** A job of `scenes` 10x10 scenes, as the API would hand it to createJob. */
export const newJob = (orgId: string, id: string, scenes = 2, key: string | null = null): NewJob => ({
  id,
  orgId,
  request: { template_id: '1061' },
  template: { id: '1061' },
  brand: null,
  templateRef: { kind: 'public', id: '1061', version: 1 },
  brandRef: null,
  output: { format: 'png', scale: 1 },
  webhookUrl: null,
  idempotencyKey: key,
  requestHash: 'h',
  scenes: Array.from({ length: scenes }, (_, i) => ({ index: i, token: `${id}-tok-${i}-xxxxxxxxxxxxxxxx`, key: `scene_${i + 1}`, name: `S${i}`, width: 10, height: 10, format: 'png' })),
});

export const newOrg = async (s: MetadataStore, id = 'org_a', plan: PlanName = 'pro') => s.createOrg({ id, name: id, plan, webhookSecret: 'whsec_x' });

export const DONE = { status: 'done', blobKey: 'k', mimeType: 'image/png', etag: '"e"', size: 3 } satisfies SceneOutcome;

/** An ISO 8601 UTC time as `Date.prototype.toISOString` writes it: what every adapter returns for times. */
export const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** Waits a few milliseconds, so that records created one after the other have distinct times. */
export const tick = (ms = 3): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
