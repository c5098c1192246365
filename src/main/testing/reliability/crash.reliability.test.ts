/**
 * Crash safety (issue #7): the services run as `planter serve` in a child process; while it
 * annotates, imports, trains, writes models and exports, it is killed with SIGKILL at a random
 * moment, many times. After every kill the process restarts on the same data folder and must show:
 * the project opens, `PRAGMA integrity_check` is ok, every acknowledged annotation is there, every
 * import is all-or-nothing (and there when acknowledged), every visible export and bundle is whole,
 * every checkpoint decodes, and the current model loads and predicts.
 *
 * CI: 10 kills with a fixed seed. `npm run test:reliability`: 220 kills, seed printed.
 */
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ModelInfo, TrainingRun } from '../../../shared/contract';
import { AnnotationLedger } from './annotation-ledger';
import { corpusJsonl, buildProject, TINY_SETTINGS, CORPUS_MAPPING } from './fixtures';
import { checkCheckpoints, checkDatabase, checkExports, checkModelDir, leftoverTempFiles, withDb } from './project-checks';
import { ensureBuilt, startServiceProcess, upload, waitJob, type ServiceProcess } from './service-process';
import { emptyTally, prng, report, seed, size } from './tally';

const KILLS = Number(process.env.PLANTER_RELIABILITY_KILLS) || size(10, 220);
const SEED = seed(20_240_607);
const PROJECT = 'crash';

type Scenario = 'train' | 'retrain' | 'import' | 'export' | 'bundle' | 'annotate' | 'open';
/**
 * Scenario weights and the first guess of how long its work takes (ms). The kill falls uniformly
 * in [0, 1.25 × the median duration seen so far], so it lands at every stage and about one run in
 * five finishes first (and must then survive as acknowledged).
 */
const SCENARIOS: [Scenario, number, number][] = [
  ['train', 22, 5000],
  ['retrain', 10, 3000],
  ['import', 22, 2000],
  ['export', 14, 1000],
  ['bundle', 6, 1000],
  ['annotate', 20, 1500],
  ['open', 6, 40],
];

interface ImportRecord {
  prefix: string;
  documents: number;
  assignments: number;
  acked: boolean;
}

describe('crash safety: SIGKILL at random points', () => {
  const tally = emptyTally();
  const notes: Record<string, number> = { acknowledged_annotations: 0, acknowledged_imports: 0, acknowledged_models: 0, acknowledged_exports: 0, orphan_model_folders: 0 };
  const scenarioCounts: Record<string, number> = {};
  const durations: Partial<Record<Scenario, number[]>> = {};
  let leftoverMax = 0;
  const leftoverKinds = new Set<string>();
  afterAll(() => report('crash', { kills: tally.kills, lost_acknowledged: tally.lost_acknowledged, integrity_failures: tally.integrity_failures, partial_writes: tally.partial_writes }, { seed: SEED, ...notes, scenarios: scenarioCounts, leftover_temp_folders_max: leftoverMax, leftover_temp_folders: [...leftoverKinds], median_ms: Object.fromEntries(Object.entries(durations).map(([k, v]) => [k, [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]])) } as Record<string, unknown>));

  it(`keeps every acknowledged write through ${KILLS} kills`, { timeout: 60_000 + KILLS * 20_000 }, async () => {
    ensureBuilt((m) => console.warn(`[crash] ${m}`));
    const rng = prng(SEED);
    const dataDir = mkdtempSync(join(tmpdir(), 'planter-crash-'));
    const projectDir = join(dataDir, 'projects', PROJECT);
    const failures: string[] = [];
    const fail = (msg: string): void => {
      if (failures.length < 50) failures.push(msg);
    };
    let proc: ServiceProcess = await startServiceProcess({ dataDir });
    try {
      const built = await buildProject(proc, PROJECT);
      const ledger = new AnnotationLedger(PROJECT, built.poolDocIds.slice(0, 80), built.labelIds);
      await ledger.snapshot(proc);
      let lastModel = built.modelId;
      const imports: ImportRecord[] = [];
      const ackedExports = new Map<string, number>();
      const reported = new Set<string>();
      await proc.stop();

      for (let iteration = 0; iteration < KILLS; iteration++) {
        proc = await startServiceProcess({ dataDir });
        const where = `kill ${iteration}`;
        // ---- after the previous kill: what must hold ----
        const opened = await proc.call('projects.stats', { projectId: PROJECT });
        if (!opened.ok) {
          tally.integrity_failures++;
          fail(`${where}: the project does not open: ${opened.error.message}`);
        }
        const integrity = checkDatabase(projectDir);
        if (!integrity.ok) {
          tally.integrity_failures++;
          fail(`${where}: ${integrity.problems.join('; ')}`);
        }
        const annotations = await ledger.verify(proc);
        tally.lost_acknowledged += annotations.lost;
        annotations.problems.forEach((p) => fail(`${where}: lost annotation: ${p}`));
        withDb(projectDir, (db) => {
          const count = db.prepare('SELECT COUNT(*) FROM documents WHERE ext_id GLOB ?').pluck();
          const marks = db.prepare("SELECT COUNT(*) FROM assignments a JOIN documents d ON d.id = a.doc_id WHERE d.ext_id GLOB ? AND a.source = 'imported'").pluck();
          for (const imp of imports) {
            const n = count.get(`${imp.prefix}*`) as number;
            const m = marks.get(`${imp.prefix}*`) as number;
            if (n !== 0 && (n !== imp.documents || m !== imp.assignments)) {
              tally.partial_writes++;
              fail(`${where}: import ${imp.prefix} is half there: ${n}/${imp.documents} documents, ${m}/${imp.assignments} labels`);
            } else if (n === 0 && imp.acked) {
              tally.lost_acknowledged++;
              fail(`${where}: acknowledged import ${imp.prefix} is gone`);
            }
            if (n === imp.documents) imp.acked = true; // committed: from now on it must stay
          }
        });
        for (const p of checkExports(projectDir)) {
          if (reported.has(p)) continue; // a torn file stays torn: count it once
          reported.add(p);
          tally.partial_writes++;
          fail(`${where}: ${p}`);
        }
        for (const [name, documents] of ackedExports) {
          if (!existsSync(join(projectDir, 'exports', name))) {
            tally.lost_acknowledged++;
            fail(`${where}: acknowledged export ${name} (${documents} documents) is gone`);
            ackedExports.delete(name); // count each loss once
          }
        }
        const checkpoints = await checkCheckpoints(projectDir);
        tally.integrity_failures += checkpoints.problems.length;
        checkpoints.problems.forEach((p) => fail(`${where}: ${p}`));
        const { models } = await proc.ok<{ models: ModelInfo[] }>('models.list', { projectId: PROJECT });
        const current = models.find((m) => m.current);
        if (!current || current.id < lastModel) {
          tally.lost_acknowledged++;
          fail(`${where}: the current model is ${current?.id ?? 'none'}, the last acknowledged one was ${lastModel}`);
        } else {
          lastModel = current.id;
          const path = withDb(projectDir, (db) => db.prepare('SELECT path FROM models WHERE id = ?').pluck().get(current.id) as string);
          const problem = await checkModelDir(join(projectDir, path));
          const suggestions = await proc.call<{ modelId: number | null; labels: unknown[] }>('suggestions.get', { projectId: PROJECT, docId: ledger.docIds[0], top: 3 });
          if (problem || !suggestions.ok || suggestions.value.modelId !== current.id || suggestions.value.labels.length === 0) {
            tally.integrity_failures++;
            fail(`${where}: model ${current.id} does not load and predict: ${problem ?? JSON.stringify(suggestions).slice(0, 300)}`);
          }
        }
        const { runs } = await proc.ok<{ runs: TrainingRun[] }>('training.runs', { projectId: PROJECT });
        if (runs.some((r) => r.outcome === 'running')) fail(`${where}: a training run is still "running" after a restart`);
        // A model folder the database does not know: written, then killed before it was recorded.
        const known = new Set(withDb(projectDir, (db) => db.prepare('SELECT path FROM models').pluck().all() as string[]).map((p) => p.split(/[\\/]/).pop()));
        for (const name of readdirSync(join(projectDir, 'models'))) {
          if (name.startsWith('.') || known.has(name)) continue;
          notes.orphan_model_folders!++;
          // Whole but never recorded (a kill between writing and recording). It no longer blocks
          // later trainings (folders are named after their run, 531eb98) but nothing removes it:
          // counted in the notes, removed here so the data folder stays small.
          rmSync(join(projectDir, 'models', name), { recursive: true, force: true });
        }
        // Uploads of the killed process are removed when the next process starts (upload-store.ts).
        const uploads = readdirSync(join(dataDir, 'uploads')).filter((name) => !name.startsWith(`${proc.pid}-`));
        if (uploads.length) fail(`${where}: upload folders of dead processes remain: ${uploads.join(', ')}`);
        // Temp files of the killed process: removed when the project opened (store/temp-files.ts),
        // except hidden model and bundle folders, which nothing removes (known, reported).
        const leftovers = leftoverTempFiles(projectDir);
        if (leftovers.swept.length) fail(`${where}: temp files of the killed process were not removed: ${leftovers.swept.join(', ')}`);
        leftoverMax = Math.max(leftoverMax, leftovers.other.length);
        for (const l of leftovers.other) leftoverKinds.add(l.replace(/\.[0-9a-f]{8}\.tmp$/, '.*.tmp'));

        // ---- the work that gets killed ----
        let roll = rng.next() * SCENARIOS.reduce((a, s) => a + s[1], 0);
        let scenario: Scenario = 'annotate';
        let windowMs = 1000;
        for (const [name, weight, guess] of SCENARIOS) {
          if ((roll -= weight) < 0) {
            scenario = name;
            const seen = [...(durations[name] ?? [])].sort((a, b) => a - b);
            // Until one run has finished, widen the guess each time (a slow machine must still see some finish).
            const tries = scenarioCounts[name] ?? 0;
            windowMs = name === 'annotate' || name === 'open' ? guess : seen.length ? 1.25 * seen[Math.floor(seen.length / 2)]! : guess * (1 + tries / 2);
            break;
          }
        }
        scenarioCounts[scenario] = (scenarioCounts[scenario] ?? 0) + 1;
        let killed = false;
        const stop = (): boolean => killed;
        const t0 = Date.now();
        const work: Promise<unknown>[] = [];
        const jobErrors: string[] = [];
        const job = async (start: () => Promise<{ jobId: string }>, onDone: (result: unknown) => void): Promise<void> => {
          let started;
          try {
            started = await start();
          } catch (e) {
            if (!killed) jobErrors.push((e as Error).message);
            return;
          }
          try {
            const finished = await waitJob(proc, started.jobId, 120_000);
            (durations[scenario] ??= []).push(Date.now() - t0);
            if (finished.outcome === 'done') onDone(finished.result);
            else if (finished.outcome === 'failed') jobErrors.push(`${scenario} job failed: ${finished.error?.code}: ${finished.error?.message}`);
          } catch {
            /* killed while waiting: not acknowledged */
          }
        };
        if (scenario === 'train' || scenario === 'retrain') {
          work.push(
            job(
              () => proc.ok('training.start', { projectId: PROJECT, mode: scenario === 'train' ? 'full' : 'retrain', settings: TINY_SETTINGS }),
              (r) => {
                // The model serving when the job acknowledged: the new one, or the previous one when the new one was worse (issue #14).
                const done = r as { modelId: number; currentModelId?: number | null };
                lastModel = done.currentModelId ?? done.modelId;
                notes.acknowledged_models!++;
              },
            ),
          );
        } else if (scenario === 'import') {
          const prefix = `i${iteration}-`;
          const corpus = corpusJsonl({ prefix, pool: 50 + rng.int(3000), split: 'test', seed: iteration, extraCodes: 5 });
          const record: ImportRecord = { prefix, documents: corpus.documents, assignments: corpus.assignments, acked: false };
          imports.push(record);
          work.push(
            job(
              async () => {
                const uploadId = await upload(proc, PROJECT, `${prefix}corpus.jsonl`, Buffer.from(corpus.text));
                return proc.ok('imports.corpus', { projectId: PROJECT, source: { uploadId }, format: 'jsonl', mapping: CORPUS_MAPPING });
              },
              () => {
                record.acked = true;
                notes.acknowledged_imports!++;
              },
            ),
          );
        } else if (scenario === 'export') {
          const format = rng.next() < 0.5 ? 'jsonl' : 'csv';
          const name = `export-${iteration % 4}.${format}`; // overwrites earlier exports too
          work.push(
            job(
              () => proc.ok('exports.annotations', { projectId: PROJECT, format, destination: { name } }),
              (r) => {
                ackedExports.set(name, (r as { documents: number }).documents);
                notes.acknowledged_exports!++;
              },
            ),
          );
        } else if (scenario === 'bundle') {
          const name = `bundle-${iteration % 3}`;
          work.push(job(() => proc.ok('exports.model', { projectId: PROJECT, destination: { name } }), () => ackedExports.set(name, 0)));
        }
        if (scenario !== 'open') work.push(ledger.burst(proc, rng, stop).then((errors) => errors.forEach((e) => fail(`${where}: annotation error surfaced: ${e}`))));
        else work.push(proc.call('annotations.history', { projectId: PROJECT, limit: 1 }).catch(() => undefined));

        const delay = rng.next() * windowMs;
        await new Promise((r) => setTimeout(r, Math.max(0, delay - (Date.now() - t0))));
        killed = true;
        await proc.kill();
        tally.kills++;
        await Promise.allSettled(work);
        notes.acknowledged_annotations = ledger.acknowledged;
        jobErrors.forEach((e) => fail(`${where}: ${e}`));
      }
      notes.acknowledged_annotations = ledger.acknowledged;

      // The last restart: verify once more, then an orderly shutdown.
      proc = await startServiceProcess({ dataDir });
      const last = await ledger.verify(proc);
      tally.lost_acknowledged += last.lost;
      last.problems.forEach((p) => fail(`final: ${p}`));
      const integrity = checkDatabase(projectDir);
      if (!integrity.ok) {
        tally.integrity_failures++;
        fail(`final: ${integrity.problems.join('; ')}`);
      }
      await proc.stop();
    } catch (e) {
      fail(`harness: ${(e as Error).stack}\n--- child output ---\n${proc.output()}`);
    } finally {
      await proc.kill();
      rmSync(dataDir, { recursive: true, force: true });
    }
    expect(failures).toEqual([]);
  });
});
