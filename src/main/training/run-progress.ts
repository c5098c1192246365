import type { PipelineProgress } from '../plant/pipeline/progress';
import type { PlannedStage } from './run-plan';

/** A stage's own bar: its done/total never shrink in fraction. */
export interface StageSnapshot {
  done: number;
  total: number;
  unit: string;
  etaMs?: number;
}

/** The whole run's bar: a fraction that only grows, and the time left when it can be estimated. */
export interface OverallSnapshot {
  fraction: number;
  etaMs?: number;
}

interface Entry extends PlannedStage {
  prior: number | null;
  startedMs: number | null;
  actualSeconds: number | null;
  fraction: number;
  /** The unit the stage's bar counts (the first with a known total); other units only carry metrics. */
  unit: string | null;
  snapshot: StageSnapshot | null;
  etaMs?: number;
}

/**
 * Turns the pipeline's stage-local progress into two monotone bars: the stage's and the whole
 * run's. The run's weighs every planned stage by its expected seconds: an earlier run's timing
 * where the project has one, else its units at the seconds per unit measured so far in this run.
 * The current stage's expectation is refined from its own pace (elapsed ÷ fraction, or its
 * step ETA). The fraction never goes back; the ETA may rise when a stage turns out slower.
 */
export class RunProgress {
  readonly #entries: Entry[];
  #index = -1;
  #overall = 0;

  constructor(plan: readonly PlannedStage[], priors: readonly (number | null)[] = []) {
    this.#entries = plan.map((p, i) => ({ ...p, prior: priors[i] ?? null, startedMs: null, actualSeconds: null, fraction: 0, unit: null, snapshot: null }));
  }

  update(p: PipelineProgress, nowMs: number): { stage: StageSnapshot; overall: OverallSnapshot } {
    const entry = this.#enter(p.stage, nowMs);
    const stage = entry ? this.#stageSnapshot(entry, p) : this.#unplanned(p);
    return { stage, overall: this.#overallSnapshot(nowMs) };
  }

  /** Moves to the planned stage named `stage` (later in the plan); stages the run skipped count as done. */
  #enter(stage: string, nowMs: number): Entry | null {
    const current = this.#entries[this.#index];
    if (current?.stage === stage) return current;
    const next = this.#entries.findIndex((e, i) => i > this.#index && e.stage === stage);
    if (next < 0) return null;
    for (let i = Math.max(0, this.#index); i < next; i++) {
      const e = this.#entries[i]!;
      e.fraction = 1;
      e.actualSeconds = e.startedMs === null ? 0 : (nowMs - e.startedMs) / 1000;
    }
    this.#index = next;
    const e = this.#entries[next]!;
    e.startedMs = nowMs;
    return e;
  }

  #stageSnapshot(e: Entry, p: PipelineProgress): StageSnapshot {
    if (e.unit === null && p.total > 0) e.unit = p.unit;
    if (e.unit === p.unit && p.total > 0) {
      const f = Math.min(1, p.done / p.total);
      if (f >= e.fraction) {
        e.fraction = f;
        e.snapshot = { done: p.done, total: p.total, unit: p.unit, ...(p.etaMs !== undefined ? { etaMs: p.etaMs } : {}) };
        if (p.etaMs !== undefined) e.etaMs = p.etaMs;
        else delete e.etaMs;
      }
    }
    return e.snapshot ?? { done: 0, total: 0, unit: p.unit };
  }

  /** A stage the plan did not foresee: shown as it comes, monotone only against itself. */
  #unplanned(p: PipelineProgress): StageSnapshot {
    return { done: p.done, total: p.total, unit: p.unit, ...(p.etaMs !== undefined ? { etaMs: p.etaMs } : {}) };
  }

  /** Seconds per unit measured on the stages that finished, null until one with units did. */
  #secondsPerUnit(): number | null {
    let units = 0;
    let seconds = 0;
    for (const e of this.#entries) {
      if (e.actualSeconds === null || e.units <= 0) continue;
      units += e.units;
      seconds += e.actualSeconds;
    }
    return units > 0 && seconds > 0 ? seconds / units : null;
  }

  /** Expected seconds of each stage: actual when finished, refined from its pace when running, else its prior. */
  #expected(nowMs: number): (number | null)[] {
    const rate = this.#secondsPerUnit();
    return this.#entries.map((e, i) => {
      if (e.actualSeconds !== null) return e.actualSeconds;
      const fromPlan = e.prior ?? (rate !== null ? e.units * rate : null);
      if (i !== this.#index || e.startedMs === null) return fromPlan;
      const elapsed = (nowMs - e.startedMs) / 1000;
      if (e.etaMs !== undefined) return elapsed + e.etaMs / 1000;
      if (e.fraction >= 0.05 && elapsed > 0.2) return elapsed / e.fraction;
      return fromPlan === null ? null : Math.max(fromPlan, elapsed);
    });
  }

  #overallSnapshot(nowMs: number): OverallSnapshot {
    const expected = this.#expected(nowMs);
    const known = expected.every((x) => x !== null);
    let fraction: number;
    let etaMs: number | undefined;
    const cur = this.#entries[this.#index];
    if (known) {
      const total = expected.reduce<number>((a, x) => a + x!, 0);
      const before = expected.slice(0, Math.max(0, this.#index)).reduce<number>((a, x) => a + x!, 0);
      const inStage = cur ? cur.fraction * expected[this.#index]! : 0;
      fraction = total > 0 ? (before + inStage) / total : 0;
      etaMs = 1000 * Math.max(0, total - before - (cur?.startedMs != null ? (nowMs - cur.startedMs) / 1000 : 0));
    } else {
      // Before anything is timed: weigh stages by their units alone (no ETA yet).
      const units = this.#entries.map((e) => Math.max(e.units, 1e-3));
      const total = units.reduce((a, u) => a + u, 0);
      const before = units.slice(0, Math.max(0, this.#index)).reduce((a, u) => a + u, 0);
      fraction = (before + (cur ? cur.fraction * units[this.#index]! : 0)) / total;
    }
    // The run is not over until its job says so: 99 % at most, and never back.
    this.#overall = Math.max(this.#overall, Math.min(0.99, fraction));
    return { fraction: this.#overall, ...(etaMs !== undefined ? { etaMs } : {}) };
  }
}
