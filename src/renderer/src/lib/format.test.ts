import { describe, expect, it } from 'vitest';
import { formatDelta, formatMetric, probability } from './format';

// Issue #14: percent in the UI and the CLI's text, fractions in JSON, and nothing said which.
describe('metric units', () => {
  it('shows a metric fraction as a percentage with its unit', () => {
    expect(formatMetric(0.4123)).toBe('41.2 %');
    expect(formatMetric(1)).toBe('100.0 %');
    expect(formatMetric(0)).toBe('0.0 %');
    expect(formatMetric(null)).toBe('—');
    expect(formatMetric(Number.NaN)).toBe('—');
  });

  it('shows a difference of two metrics in percentage points', () => {
    expect(formatDelta(0.043)).toBe('+4.3 pts');
    expect(formatDelta(-0.01)).toBe('−1.0 pts');
    expect(formatDelta(0)).toBe('±0.0 pts');
  });
});

describe('probability', () => {
  it('shows a calibrated probability as a whole percentage, never a false certainty (issue #14)', () => {
    expect(probability(0.8712)).toBe('87 %');
    expect(probability(0.5)).toBe('50 %');
    expect(probability(0)).toBe('0 %');
    expect(probability(0.003)).toBe('<1 %');
    expect(probability(0.998)).toBe('>99 %');
    expect(probability(1)).toBe('100 %');
  });
});
