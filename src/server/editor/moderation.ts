import { AdsmithError, isAdsmithError } from '../../errors/catalogue.js';
import { moderateOutputs, type ModerationInput } from '../../jobs/moderation-stage.js';
import type { JobRecord } from '../../storage/types.js';
import type { ServerContext } from '../context.js';
import type { CheckedInput } from '../contract/generate.js';

/**
 * Content moderation of editor saves, for jobs that asked for it (`content_moderation: true`): a save must not
 * publish what the job itself could not have. New texts and images of the edit go through the same input
 * moderation as generate (the first that fails is named), and the drawn image through the same output check;
 * a flagged image is refused, not published.
 */
export function moderated(job: JobRecord): boolean {
  return (job.request as { content_moderation?: boolean }).content_moderation === true;
}

/** Input moderation of what the edit brings: `texts` (with their JSON paths) and the checked new images. */
export async function moderateEditInputs(ctx: ServerContext, job: JobRecord, texts: Array<{ parameter: string; text: string }>, images: CheckedInput[]): Promise<void> {
  if (!moderated(job)) return;
  await ctx.models?.require('image_moderation', 'Content moderation');
  if (!ctx.inputModerator) return;
  const inputs: ModerationInput[] = [
    ...texts.filter((t) => t.text.trim() !== '').map((t) => ({ parameter: t.parameter, kind: 'text' as const, text: t.text })),
    ...images.map((i) => ({ parameter: i.parameter, kind: 'image' as const, bytes: i.bytes, mimeType: i.mimeType })),
  ];
  if (inputs.length === 0) return;
  let failed: string | null;
  try {
    failed = await ctx.inputModerator(inputs);
  } catch (err) {
    if (isAdsmithError(err) && err.code === 'ADS_WORKER_CRASHED') throw new AdsmithError('ADS_SERVER_BUSY', { reason: 'restarting its moderation model' });
    throw err;
  }
  if (failed) throw new AdsmithError('ADS_INPUT_MODERATED', { parameter_name: failed });
}

/** Output moderation of a drawn scene; throws ADS_EDITOR_MODERATED when flagged (nothing is stored). */
export async function moderateEditOutput(ctx: ServerContext, job: JobRecord, bytes: Uint8Array, mimeType: string): Promise<void> {
  if (!moderated(job)) return;
  if (!ctx.models) throw new AdsmithError('ADS_MODEL_UNAVAILABLE', { feature: 'Content moderation', detail: 'this node has no models thread' });
  const verdict = await moderateOutputs(ctx.models)(bytes, mimeType);
  if (verdict.flagged) throw new AdsmithError('ADS_EDITOR_MODERATED');
}
