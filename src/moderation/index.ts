export * from './types.js';
export { ImageModerator, judge, type ImageModeratorOptions } from './image.js';
export { TextModerator, DEFAULT_ALLOW_LIST, type TextModeratorOptions } from './text.js';

/** The contract's 422 text for an input visual that failed moderation. */
export function moderationMessage(parameter: string): string {
  return `The request could not be completed because the visual in the '${parameter}' parameter did not pass content moderation.`;
}
