import { englishDataset, englishRecommendedTransformers, RegExpMatcher } from 'obscenity';
import type { ModeratorStatus, TextVerdict } from './types.js';

/**
 * Words obscenity's English list flags inside innocent words. Any match lying
 * wholly inside one of these (case-insensitive) is ignored.
 */
export const DEFAULT_ALLOW_LIST = [
  'cockpit', 'cocktail', 'cockatoo', 'cockerel', 'cockroach', 'hancock', 'peacock', 'woodcock', 'shuttlecock', 'hitchcock', 'babcock',
  'shiitake', 'scunthorpe', 'penistone', 'lightwater', 'cumbria', 'cumberland', 'cucumber', 'circumstance', 'document', 'accumulate', 'scum',
  'assassin', 'assess', 'bass', 'class', 'glass', 'grass', 'mass', 'pass', 'compass', 'embarrass', 'cassette', 'massage', 'classic',
  'analysis', 'analyst', 'canal', 'therapist', 'grape', 'skyscraper', 'dickens', 'dickinson', 'sussex', 'essex', 'middlesex', 'titanic',
  'titan', 'title', 'butte', 'button', 'buttress', 'arsenal', 'arsenic', 'spicy', 'sextant', 'sextet', 'hoe', 'shoe', 'homo sapiens',
];

export interface TextModeratorOptions {
  /** Replaces the default allow-list. */
  allowList?: string[];
  /** Added to the allow-list. */
  extraAllowed?: string[];
}

/** Profanity check (obscenity's English dataset and its recommended transformers) with an allow-list for false positives. */
export class TextModerator {
  private readonly matcher: RegExpMatcher;
  private readonly allowed: string[];

  constructor(options: TextModeratorOptions = {}) {
    this.matcher = new RegExpMatcher({ ...englishDataset.build(), ...englishRecommendedTransformers });
    this.allowed = [...(options.allowList ?? DEFAULT_ALLOW_LIST), ...(options.extraAllowed ?? [])].map((w) => w.toLowerCase());
  }

  status(): ModeratorStatus {
    return { ok: true, detail: 'text moderation (obscenity, English) ready' };
  }

  check(text: string): TextVerdict {
    const lower = text.toLowerCase();
    // Spans covered by allowed words.
    const spans: [number, number][] = [];
    for (const w of this.allowed) {
      let i = lower.indexOf(w);
      while (i >= 0) {
        spans.push([i, i + w.length - 1]);
        i = lower.indexOf(w, i + 1);
      }
    }
    const matches: TextVerdict['matches'] = [];
    for (const m of this.matcher.getAllMatches(text, true)) {
      if (spans.some(([a, b]) => m.startIndex >= a && m.endIndex <= b)) continue;
      if (matches.some((x) => x.start === m.startIndex && x.end === m.endIndex + 1)) continue;
      matches.push({ word: text.slice(m.startIndex, m.endIndex + 1), start: m.startIndex, end: m.endIndex + 1 });
    }
    return { safe: matches.length === 0, matches };
  }
}
