import type { EvalReport, ModelInfo, PlantSettings, TrainingRun } from '../../shared/contract';
import { PlantSettings as PlantSettingsSchema } from '../../shared/contract';
import type { Db } from './db';
import { nowIso } from './db';

export interface ModelSummary {
  labels: number;
  vocabulary: number;
  trainDocuments: number;
  stageTimings: { stage: string; seconds: number }[];
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

  get(id: number): { id: number; path: string; kind: 'plant' | 'lant'; mode: 'full' | 'retrain'; createdAt: string } | null {
    const r = this.#db.prepare("SELECT id, path, kind, mode, created_at FROM models WHERE id = ? AND status = 'ready'").get(id) as
      | { id: number; path: string; kind: 'plant' | 'lant'; mode: 'full' | 'retrain'; created_at: string }
      | undefined;
    return r ? { id: r.id, path: r.path, kind: r.kind, mode: r.mode, createdAt: r.created_at } : null;
  }

  /** The next model id (the model folder is named after it before the row exists). */
  nextId(): number {
    return ((this.#db.prepare('SELECT MAX(id) AS m FROM models').get() as { m: number | null }).m ?? 0) + 1;
  }

  /** Records a finished model and makes it current, in one transaction. */
  insert(m: { id: number; kind: 'plant' | 'lant'; mode: 'full' | 'retrain'; path: string; settings: PlantSettings; metrics: EvalReport | null; parentId: number | null; vocabFingerprint: string; summary: ModelSummary }): void {
    this.#db.transaction(() => {
      this.#db
        .prepare(
          `INSERT INTO models (id, created_at, kind, mode, status, path, settings, metrics, parent_id, vocab_fingerprint, summary)
           VALUES (?, ?, ?, ?, 'ready', ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.id, nowIso(), m.kind, m.mode, m.path, JSON.stringify(m.settings), m.metrics ? JSON.stringify(m.metrics) : null, m.parentId, m.vocabFingerprint, JSON.stringify(m.summary));
      this.setCurrent(m.id);
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
        current: r.id === current,
      };
    });
  }

  startRun(mode: 'full' | 'retrain', settings: PlantSettings): number {
    return Number(this.#db.prepare("INSERT INTO training_runs (mode, settings, started_at, outcome) VALUES (?, ?, ?, 'running')").run(mode, JSON.stringify(settings), nowIso()).lastInsertRowid);
  }

  finishRun(id: number, r: { outcome: 'done' | 'cancelled' | 'failed'; modelId?: number; error?: string; stageTimings?: unknown; curve?: unknown; metrics?: unknown }): void {
    this.#db
      .prepare('UPDATE training_runs SET finished_at = ?, outcome = ?, model_id = ?, error = ?, stage_timings = ?, curve = ?, metrics = ? WHERE id = ?')
      .run(nowIso(), r.outcome, r.modelId ?? null, r.error ?? null, JSON.stringify(r.stageTimings ?? []), JSON.stringify(r.curve ?? []), r.metrics ? JSON.stringify(r.metrics) : null, id);
  }

  /** Runs left 'running' by a crash are marked failed when the project opens. */
  failInterruptedRuns(): number {
    return this.#db.prepare("UPDATE training_runs SET outcome = 'failed', error = 'interrupted (the app stopped during training)', finished_at = ? WHERE outcome = 'running'").run(nowIso()).changes;
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
