const integer = new Intl.NumberFormat('en');

export function count(n: number): string {
  return integer.format(n);
}

export function bytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function percent(done: number, total: number): number {
  return total > 0 ? Math.min(100, Math.round((100 * done) / total)) : 0;
}

export function duration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
}

/**
 * A metric given as a fraction in [0, 1] (how the contract and JSON carry it), shown as a
 * percentage with one decimal ("41.2 %"), or an em dash when there is none. One rule everywhere
 * (issue #14): percentages in text, the app and the command line's tables; fractions in JSON.
 */
export function formatMetric(value: number | null | undefined): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${(100 * value).toFixed(1)} %`;
}

/** A signed difference of two metrics, in percentage points ("+4.3 pts", "−1.0 pts"). */
/**
 * A model's probability as a coder reads it: "87 %". Never "0 %" or "100 %" for what is only
 * nearly so: a calibrated probability is not a certainty.
 */
export function probability(p: number): string {
  if (!Number.isFinite(p)) return '—';
  if (p > 0 && p < 0.005) return '<1 %';
  if (p < 1 && p >= 0.995) return '>99 %';
  return `${Math.round(100 * p)} %`;
}

export function formatDelta(value: number): string {
  const s = (100 * Math.abs(value)).toFixed(1);
  return `${value > 0 ? '+' : value < 0 ? '−' : '±'}${s} pts`;
}

/** "3 min 20 s left", from milliseconds. */
export function eta(ms: number): string {
  return `${duration(ms)} left`;
}

/** The training-frequency bucket of a label (PLANT.md §3): zero (0), few (1–5), mid (6–50), head (> 50). */
export function bucketOf(trainCount: number): 'zero' | 'few' | 'mid' | 'head' {
  return trainCount === 0 ? 'zero' : trainCount <= 5 ? 'few' : trainCount <= 50 ? 'mid' : 'head';
}
