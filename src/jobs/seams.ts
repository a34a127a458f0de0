import type { JobRecord } from '../storage/types.js';
import type { SmartImageTask } from './protocol.js';

/**
 * Where smart image and moderation plug into the job pipeline (issue 4). The
 * API validates `smart_image` and `content_moderation` and moderates the inputs
 * before a job is accepted (src/server/contract/generate.ts, `InputModerator` of
 * src/server/context.ts); the queue (src/jobs/local.ts) then acts on a job
 * through these two seams:
 *
 *  - SMART IMAGE: before a scene of a job with `smart_image` is rendered, the
 *    job's cut-out is made once (models thread) and every scene task carries it
 *    (src/jobs/smart-image-jobs.ts); render threads compose the frames.
 *  - OUTPUT MODERATION: every rendered scene of a moderated job is classified;
 *    a flagged one is stored as a zero-byte file at its URL.
 */
export interface SmartImagePreparer {
  /** The job's smart image with its cut-out made (once per job). Throws an AdsmithError that fails the scene. */
  prepare(job: JobRecord): Promise<SmartImageTask>;
}

/** Output moderation: `flagged` turns the scene into a zero-byte result; `detail` (if any) goes to the scene's warnings. Throws an AdsmithError when it cannot check. */
export type OutputModerator = (bytes: Uint8Array, mimeType: string) => Promise<{ flagged: boolean; detail?: string }>;
