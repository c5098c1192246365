import { describe, expect, it } from 'vitest';
import { excerptOf } from './model-handlers';

describe('the excerpt naming a similar document', () => {
  it('is the whole text, whitespace collapsed, when short', () => {
    expect(excerptOf('  Chest pain\n\nafter  exercise. ')).toBe('Chest pain after exercise.');
  });

  it('is cut at the last word boundary within the limit, marked with an ellipsis', () => {
    expect(excerptOf('alpha beta gamma delta', 12)).toBe('alpha beta…');
    expect(excerptOf('alpha beta gamma delta', 16)).toBe('alpha beta gamma…');
  });

  it('is cut mid-word when the first word alone is too long to show', () => {
    expect(excerptOf('pneumonoultramicroscopic silicovolcanoconiosis', 10)).toBe('pneumonoul…');
  });
});
