import { describe, expect, it } from 'vitest';
import type { LabelProvenance } from '../../../shared/contract';
import { exactTime, provenanceView, provenanceWhat, relativeTime } from './provenance';

const at = '2026-03-01T10:15:00.000Z';
const p = (over: Partial<LabelProvenance>): LabelProvenance => ({ how: 'added', who: 'Ana', score: null, at, ...over });
const T = Date.parse(at);

describe('provenanceWhat', () => {
  it('says how and by whom, with an accepted suggestion’s score', () => {
    expect(provenanceWhat(p({ how: 'accepted', score: 0.8712 }))).toBe('accepted suggestion (score 87 %) by Ana');
    expect(provenanceWhat(p({ how: 'accepted' }))).toBe('accepted suggestion by Ana');
    expect(provenanceWhat(p({ how: 'added' }))).toBe('added by hand by Ana');
    expect(provenanceWhat(p({ how: 'rejected', who: 'Ben' }))).toBe('rejected by Ben');
    expect(provenanceWhat(p({ how: 'rejected', who: 'Ben', score: 0.914 }))).toBe('rejected suggestion (score 91 %) by Ben');
    expect(provenanceWhat(p({ how: 'imported', who: 'E2E Coder' }))).toBe('imported by E2E Coder');
  });

  it('says when nobody recorded who (imports before the importer recorded it, rows older than 0006)', () => {
    expect(provenanceWhat(p({ how: 'imported', who: null }))).toBe('imported (annotator not recorded)');
    expect(provenanceWhat(p({ how: 'accepted', who: null, score: 0.5 }))).toBe('accepted suggestion (score 50 %) (annotator not recorded)');
  });
});

describe('relativeTime', () => {
  it('counts minutes, hours and days, then gives the date', () => {
    expect(relativeTime(T, T + 59_999)).toBe('just now');
    expect(relativeTime(T, T + 60_000)).toBe('1 min ago');
    expect(relativeTime(T, T + 59 * 60_000 + 59_000)).toBe('59 min ago');
    expect(relativeTime(T, T + 3_600_000)).toBe('1 h ago');
    expect(relativeTime(T, T + 23.9 * 3_600_000)).toBe('23 h ago');
    expect(relativeTime(T, T + 24 * 3_600_000)).toBe('yesterday');
    expect(relativeTime(T, T + 29 * 86_400_000)).toBe('29 days ago');
    expect(relativeTime(T, T + 30 * 86_400_000, 'UTC')).toBe('on 1 Mar 2026');
  });

  it('a time ahead of this computer’s clock is "just now", never a negative age', () => {
    expect(relativeTime(T + 5 * 60_000, T)).toBe('just now');
  });
});

describe('exactTime and provenanceView', () => {
  it('gives the exact time in the time zone asked for', () => {
    expect(exactTime(T, 'UTC')).toBe('1 Mar 2026, 10:15:00 UTC');
    expect(exactTime(T, 'Europe/Madrid')).toBe('1 Mar 2026, 11:15:00 CET');
  });

  it('puts the three together; a stored time that does not parse is shown as stored, with no age', () => {
    expect(provenanceView(p({ how: 'accepted', score: 0.91 }), T + 3 * 60_000, 'UTC')).toEqual({
      what: 'accepted suggestion (score 91 %) by Ana',
      when: '3 min ago',
      exact: '1 Mar 2026, 10:15:00 UTC',
    });
    expect(provenanceView(p({ at: 'now' }), T, 'UTC')).toEqual({ what: 'added by hand by Ana', when: '', exact: 'now' });
  });
});
