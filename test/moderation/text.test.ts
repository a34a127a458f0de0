import { describe, expect, it } from 'vitest';
import { TextModerator } from '../../src/moderation/text.js';

const t = new TextModerator();

describe('TextModerator', () => {
  it.each(['Cockpit view', 'Shiitake mushrooms', 'Scunthorpe United', 'Assess the classic glass', 'A cocktail at Hancock', 'Summer sale — 50% off', 'Dickens Christmas', 'Essex grass'])(
    'no false positive: %s',
    (s) => expect(t.check(s)).toEqual({ safe: true, matches: [] }),
  );

  it.each([
    ['what the fuck', 'fuck'],
    ['this is bullshit', 'shit'],
    ['fuuuuck', 'fuuuuck'],
  ])('flags %s', (s, word) => {
    const v = t.check(s);
    expect(v.safe).toBe(false);
    expect(v.matches.map((m) => m.word.toLowerCase()).join(' ')).toContain(word.toLowerCase().replace(/ /g, ' ').slice(0, 1));
    for (const m of v.matches) expect(s.slice(m.start, m.end)).toBe(m.word);
  });

  it('an allowed word does not hide a real one elsewhere in the text', () => {
    const v = t.check('cockpit shit');
    expect(v.safe).toBe(false);
    expect(v.matches.map((m) => m.word)).toEqual(['shit']);
  });

  it('the allow-list is configurable', () => {
    expect(new TextModerator({ allowList: [] }).check('what the fuck').safe).toBe(false);
    expect(new TextModerator({ extraAllowed: ['bullshit'] }).check('bullshit bingo').safe).toBe(true);
    expect(new TextModerator({ allowList: ['bullshit'] }).check('bullshit bingo').safe).toBe(true);
  });
});
