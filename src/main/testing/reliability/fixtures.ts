/**
 * A small project for the process-level suites: a synthetic corpus whose labels a tiny model learns
 * in a second or two (train/dev with labels L0…L7, unlabelled pool documents to annotate), built
 * through the web host like the UI builds one.
 */
import type { DocumentListItem } from '../../../shared/contract';
import { syntheticCorpus, TEST_SETTINGS } from '../../plant/pipeline/testing/synthetic';
import { upload, waitJob, type ServiceProcess } from './service-process';

/** PLANT settings small enough for hundreds of runs (TEST_SETTINGS: about 1–2 s on 2 cores). */
export const TINY_SETTINGS = TEST_SETTINGS;

export const CORPUS_MAPPING = { idField: 'id', labelsField: 'labels', splitField: 'split' };

export function corpusJsonl(options: { prefix: string; labels?: number; train?: number; dev?: number; pool?: number; split?: string; seed?: number; extraCodes?: number }): { text: string; documents: number; assignments: number } {
  const c = syntheticCorpus({ labels: options.labels ?? 8, train: options.train ?? 0, dev: options.dev ?? 0, unlabelled: options.pool ?? 0, seed: options.seed ?? 1 });
  const rows: string[] = [];
  let assignments = 0;
  const add = (id: string, text: string, labels: string[], split: string): void => {
    assignments += new Set(labels).size;
    rows.push(JSON.stringify({ id, text, labels, split }));
  };
  c.train.forEach((d, i) => add(`${options.prefix}t${i}`, d.text, d.labels.map((l) => `L${l}`), options.split ?? 'train'));
  [...c.tuning, ...c.evaluation].forEach((d, i) => add(`${options.prefix}d${i}`, d.text, d.labels.map((l) => `L${l}`), options.split ?? 'dev'));
  c.unlabelled.forEach((t, i) => {
    // Some imports bring codes the project has never seen: they are created and flagged.
    const extra = options.extraCodes && i % 7 === 0 ? [`X${i % options.extraCodes}`] : [];
    add(`${options.prefix}p${i}`, t, extra, options.split ?? 'pool');
  });
  return { text: `${rows.join('\n')}\n`, documents: rows.length, assignments };
}

/** Imports a JSONL corpus through uploads + `imports.corpus` and waits for it. */
export async function importJsonl(proc: ServiceProcess, projectId: string, fileName: string, text: string): Promise<unknown> {
  const uploadId = await upload(proc, projectId, fileName, Buffer.from(text, 'utf8'));
  const { jobId } = await proc.ok<{ jobId: string }>('imports.corpus', { projectId, source: { uploadId }, format: 'jsonl', mapping: CORPUS_MAPPING });
  const done = await waitJob(proc, jobId);
  if (done.outcome !== 'done') throw new Error(`import of ${fileName}: ${done.outcome} ${JSON.stringify(done.error)}`);
  return done.result;
}

export async function trainModel(proc: ServiceProcess, projectId: string, mode: 'full' | 'retrain' = 'full'): Promise<number> {
  const { jobId } = await proc.ok<{ jobId: string }>('training.start', { projectId, mode, settings: TINY_SETTINGS });
  const done = await waitJob(proc, jobId);
  if (done.outcome !== 'done') throw new Error(`training: ${done.outcome} ${JSON.stringify(done.error)}`);
  return (done.result as { modelId: number }).modelId;
}

/** Creates the project: 150 train + 60 dev documents over L0…L7 and `pool` unlabelled ones; trains a first model. */
export async function buildProject(proc: ServiceProcess, projectId: string, pool = 120): Promise<{ poolDocIds: number[]; labelIds: number[]; modelId: number }> {
  await proc.ok('projects.create', { id: projectId, name: `reliability ${projectId}` });
  await importJsonl(proc, projectId, 'base.jsonl', corpusJsonl({ prefix: 'b', train: 150, dev: 60, pool, seed: 3 }).text);
  const modelId = await trainModel(proc, projectId);
  const poolDocIds: number[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await proc.ok<{ items: DocumentListItem[]; total: number }>('documents.list', { projectId, split: 'pool', offset, limit: 500 });
    poolDocIds.push(...page.items.map((d) => d.id));
    if (offset + 500 >= page.total) break;
  }
  const catalogue = await proc.ok<{ rows: string }>('labels.catalogue', { projectId });
  const labelIds = catalogue.rows
    .split('\n')
    .filter(Boolean)
    .map((r) => Number(r.split('\t')[0]));
  return { poolDocIds, labelIds, modelId };
}
