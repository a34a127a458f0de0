import type { TextModerator } from '../moderation/index.js';
import type { ModelHost } from './model-host.js';
import type { OutputModerator } from './seams.js';

/** One input of a generate request to check before the job is accepted. */
export type ModerationInput = { parameter: string; kind: 'image'; bytes: Uint8Array; mimeType: string } | { parameter: string; kind: 'text'; text: string };

/** Returns the parameter name of the first input that fails, or null. Throws an AdsmithError when it cannot check. */
export type InputModeration = (inputs: readonly ModerationInput[]) => Promise<string | null>;

/**
 * Input moderation, in request order, stopping at the first failure (as the
 * contract says): images by the NSFW model on the models thread, text by the
 * profanity matcher (a few regular expressions over short strings: cheap enough
 * for the event loop).
 */
export function moderateInputs(host: ModelHost, text: TextModerator): InputModeration {
  return async (inputs) => {
    for (const input of inputs) {
      if (input.kind === 'text') {
        if (!text.check(input.text).safe) return input.parameter;
      } else if (!(await host.classify(input.bytes)).verdict.safe) {
        return input.parameter;
      }
    }
    return null;
  };
}

/** Output moderation of rendered scenes on the models thread. */
export function moderateOutputs(host: ModelHost): OutputModerator {
  return async (bytes) => {
    const { verdict } = await host.classify(bytes);
    return verdict.safe ? { flagged: false } : { flagged: true, detail: `content moderation: this ad was flagged (${verdict.reason}) and is served as a zero-byte file.` };
  };
}
