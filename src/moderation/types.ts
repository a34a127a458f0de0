export interface ModeratorStatus {
  ok: boolean;
  detail: string;
}

export const NSFW_CLASSES = ['Drawing', 'Hentai', 'Neutral', 'Porn', 'Sexy'] as const;
export type NsfwClass = (typeof NSFW_CLASSES)[number];

export interface ImageVerdict {
  safe: boolean;
  /** Probability of each class, summing to ~1. */
  scores: Record<NsfwClass, number>;
  /** The most probable class. */
  label: NsfwClass;
  /** Why it was judged unsafe, e.g. "Porn 0.91 ≥ 0.70". */
  reason?: string;
}

/** An image is unsafe when any listed class's score reaches its threshold, or Porn + Hentai + Sexy reaches `combined`. */
export interface ImageThresholds {
  Porn: number;
  Hentai: number;
  Sexy: number;
  combined: number;
}

export const DEFAULT_IMAGE_THRESHOLDS: ImageThresholds = { Porn: 0.6, Hentai: 0.6, Sexy: 0.85, combined: 0.85 };

export interface TextVerdict {
  safe: boolean;
  /** The offending words as they appear in the text, with their position. */
  matches: { word: string; start: number; end: number }[];
}
