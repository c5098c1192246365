import type { Calibration, EvalReport, ModelGate, ModelInfo, PlantSettings, ServedModel, TrainingRun } from '../../shared/contract';
import { DEFAULT_GATE_METRIC, GateMetric } from '../../shared/contract';
import { PlantSettings as PlantSettingsSchema } from '../../shared/contract';
import { hostname } from 'node:os';
import type { Db } from './db';
import { nowIso } from './db';
import { processAlive } from './temp-files';

export interface ModelSummary {
  labels: number;
  vocabulary: number;
  trainDocuments: number;
  stageTimings: { stage: string; seconds: number }[];
  /** Absent in models recorded before the lexical ranker existed: they serve attention. */
  serves?: ServedModel;
  components?: ModelInfo['components'];
  calibration?: Calibration | null;
  /** Absent in models recorded before a worse model was kept from becoming current. */
  gate?: ModelGate;
}

interface ModelRow {
  id: number;
  created_at: string;
  kind: 'plant' | 'lant';
  mode: 'full' | 'retrain';
  status: string;
  path: string;
  settings: string;
  metrics: string | null;
  parent_id: number | null;
  vocab_fingerprint: string | null;
  summary: string;
}

interface RunRow {
  id: number;
  mode: 'full' | 'retrain';
  settings: string;
  started_at: string;
  finished_at: string | null;
  outcome: TrainingRun['outcome'];
  model_id: number | null;
  stage_timings: string | null;
  curve: string;
  error: string | null;
}

const CURRENT_KEY = 'current_model';
const GATE_METRIC_KEY = 'gate_metric';

/** Model versions and training runs of a project (the files live under models/, see run-training.ts). */
export class ModelsRepo {
  readonly #db: Db;
  constructor(db: Db) {
    this.#db = db;
  }

  currentId(): number | null {
    const row = this.#db.prepare('SELECT value FROM meta WHERE key = ?').get(CURRENT_KEY) as { value: string } | undefined;
    const id = row ? Number(row.value) : NaN;
    return Number.isInteger(id) && this.get(id) ? id : null;
  }

  setCurrent(id: number): void {
    this.#db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(CURRENT_KEY, String(id));
  }

  /** The project's metric a new model must not be worse on to become current. */
  gateMetric(): GateMetric {
    const row = this.#db.prepare('SELECT value FROM meta WHERE key = ?').get(GATE_METRIC_KEY) as { value: string } | undefined;
    const parsed = GateMetric.safeParse(row?.value);
    return parsed.success ? parsed.data : DEFAULT_GATE_METRIC;
  }

  setGateMetric(metric: GateMetric): void {
    this.#db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(GATE_METRIC_KEY, metric);
  }

  get(id: number): { id: number; path: string; kind: 'plant' | 'lant'; mode: 'full' | 'retrain'; createdAt: string } | null {
    const r = this.#db.prepare("SELECT id, path, kind, mode, created_at FROM models WHERE id = ? AND status = 'ready'").get(id) as
      | { id: number; path: string; kind: 'plant' | 'lant'; mode: 'full' | 'retrain'; created_at: string }
      | undefined;
    return r ? { id: r.id, path: r.path, kind: r.kind, mode: r.mode, createdAt: r.created_at } : null;
  }

  /** Records a finished model and makes it current (unless its gate says otherwise), in one transaction; returns its id. */
  insert(m: { kind: 'plant' | 'lant'; mode: 'full' | 'retrain'; path: string; settings: PlantSettings; metrics: EvalReport | null; parentId: number | null; vocabFingerprint: string; summary: ModelSummary }): number {
    return this.#db.transaction(() => {
      const id = Number(
        this.#db
          .prepare(
            `INSERT INTO models (created_at, kind, mode, status, path, settings, metrics, parent_id, vocab_fingerprint, summary)
             VALUES (?, ?, ?, 'ready', ?, ?, ?, ?, ?, ?)`,
          )
          .run(nowIso(), m.kind, m.mode, m.path, JSON.stringify(m.settings), m.metrics ? JSON.stringify(m.metrics) : null, m.parentId, m.vocabFingerprint, JSON.stringify(m.summary)).lastInsertRowid,
      );
      if (m.summary.gate?.becameCurrent !== false) this.setCurrent(id);
      return id;
    })();
  }

  list(): ModelInfo[] {
    const current = this.currentId();
    const rows = this.#db.prepare("SELECT * FROM models WHERE status = 'ready' ORDER BY id DESC").all() as ModelRow[];
    return rows.map((r) => {
      const summary = JSON.parse(r.summary) as Partial<ModelSummary>;
      return {
        id: r.id,
        createdAt: r.created_at,
        kind: r.kind,
        mode: r.mode,
        parentId: r.parent_id,
        labels: summary.labels ?? 0,
        vocabulary: summary.vocabulary ?? 0,
        trainDocuments: summary.trainDocuments ?? 0,
        settings: PlantSettingsSchema.parse(JSON.parse(r.settings)),
        metrics: r.metrics ? (JSON.parse(r.metrics) as EvalReport) : null,
        stageTimings: summary.stageTimings ?? [],
        serves: summary.serves ?? 'attention',
        components: summary.components ?? {},
        calibration: summary.calibration ?? null,
        current: r.id === current,
        gate: summary.gate ?? null,
      };
    });
  }

  /**
   * Starts a run unless another training of this project is running in a live process (this one
   * or another window's): the check and the insert are one IMMEDIATE transaction, so two windows
   * starting at once cannot both pass. Returns the run id, or the running run's id as `busy`.
   */
  startRun(mode: 'full' | 'retrain', settings: PlantSettings): { runId: number } | { busy: number } {
    return this.#db.transaction((): { runId: number } | { busy: number } => {
      const running = this.#db.prepare("SELECT id, owner_pid, owner_host FROM training_runs WHERE outcome = 'running'").all() as { id: number; owner_pid: number | null; owner_host: string | null }[];
      const live = running.find((r) => isLive(r.owner_pid, r.owner_host));
      if (live) return { busy: live.id };
      const runId = Number(
        this.#db
          .prepare("INSERT INTO training_runs (mode, settings, started_at, outcome, owner_pid, owner_host) VALUES (?, ?, ?, 'running', ?, ?)")
          .run(mode, JSON.stringify(settings), nowIso(), process.pid, hostname()).lastInsertRowid,
      );
      return { runId };
    }).immediate();
  }

  finishRun(id: number, r: { outcome: 'done' | 'cancelled' | 'failed'; modelId?: number; error?: string; stageTimings?: unknown; curve?: unknown; metrics?: unknown }): void {
    this.#db
      .prepare('UPDATE training_runs SET finished_at = ?, outcome = ?, model_id = ?, error = ?, stage_timings = ?, curve = ?, metrics = ? WHERE id = ?')
      .run(nowIso(), r.outcome, r.modelId ?? null, r.error ?? null, JSON.stringify(r.stageTimings ?? []), JSON.stringify(r.curve ?? []), r.metrics ? JSON.stringify(r.metrics) : null, id);
  }

  /**
   * Runs left 'running' by a process that is gone (a crash) are marked failed when the project
   * opens. A run of a live process — another window training right now — is left alone.
   */
  failInterruptedRuns(): number {
    const running = this.#db.prepare("SELECT id, owner_pid, owner_host FROM training_runs WHERE outcome = 'running'").all() as { id: number; owner_pid: number | null; owner_host: string | null }[];
    const mark = this.#db.prepare("UPDATE training_runs SET outcome = 'failed', error = 'interrupted (the app stopped during training)', finished_at = ? WHERE id = ? AND outcome = 'running'");
    let n = 0;
    for (const r of running) if (!isLive(r.owner_pid, r.owner_host)) n += mark.run(nowIso(), r.id).changes;
    return n;
  }

  runs(): TrainingRun[] {
    const rows = this.#db.prepare('SELECT * FROM training_runs ORDER BY id DESC LIMIT 200').all() as RunRow[];
    return rows.map((r) => ({
      id: r.id,
      mode: r.mode,
      startedAt: r.started_at,
      finishedAt: r.finished_at,
      outcome: r.outcome,
      modelId: r.model_id,
      error: r.error,
      settings: PlantSettingsSchema.parse(JSON.parse(r.settings)),
      stageTimings: r.stage_timings ? (JSON.parse(r.stage_timings) as TrainingRun['stageTimings']) : [],
      curve: JSON.parse(r.curve) as TrainingRun['curve'],
    }));
  }
}

/** Whether the process that owns a run is still alive (on this machine; another host's run is assumed live). */
function isLive(pid: number | null, host: string | null): boolean {
  if (pid === null) return false;
  if (host !== null && host !== hostname()) return true;
  return processAlive(pid);
}
