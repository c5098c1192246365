import { describe, expect, it } from 'vitest';
import { actionFor, ANNOTATE_KEYS } from './keymap';

const key = (k: string, mods: Partial<KeyboardEvent> = {}) => ({ key: k, ctrlKey: false, altKey: false, metaKey: false, ...mods });

describe('the annotate keymap', () => {
  it('maps 1–9 to accepting the n-th suggestion, and leaves 0 and modified digits alone', () => {
    for (const d of '123456789') expect(actionFor(key(d))).toBe('accept-nth');
    expect(actionFor(key('0'))).toBeNull();
    expect(actionFor(key('1', { altKey: true }))).toBeNull(); // Alt+1… switch views
    expect(actionFor(key('a'))).toBe('accept');
  });

  it('gives every key one action', () => {
    const keys = ANNOTATE_KEYS.flatMap((b) => b.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
