import { z } from 'zod';
import { Empty, ProjectId, type MethodTable } from './common';

export const ProjectSummary = z.object({
  id: ProjectId,
  name: z.string(),
  createdAt: z.string(),
  documents: z.number().int().min(0),
  labels: z.number().int().min(0),
  /** The bundled CodiEsp demo, re-creatable from resources/. */
  demo: z.boolean(),
});
export type ProjectSummary = z.infer<typeof ProjectSummary>;

/** Training-frequency buckets used everywhere (stats, evaluation, queue): 0, 1–5, 6–50, > 50 docs. */
export const FrequencyBuckets = z.object({
  zero: z.number().int().min(0),
  few: z.number().int().min(0),
  mid: z.number().int().min(0),
  head: z.number().int().min(0),
});
export type FrequencyBuckets = z.infer<typeof FrequencyBuckets>;

export const HistogramBin = z.object({
  /** Inclusive lower and upper number of training documents; `to` null means "and more". */
  from: z.number().int().min(0),
  to: z.number().int().min(0).nullable(),
  labels: z.number().int().min(0),
});

/**
 * `documents` holds `total` and one key per split (train, dev, pool, …), matching `planter stats --json`.
 * Label frequencies count distinct training documents carrying the label (positive assignments only).
 */
export const ProjectStats = z.object({
  projectId: ProjectId,
  documents: z.record(z.string(), z.number().int().min(0)),
  labels: z.object({
    /** Assignable labels (codes): what the buckets and the histogram add up to. */
    total: z.number().int().min(0),
    /** Chapters and blocks of the hierarchy: never assigned, so in no bucket. */
    categories: z.number().int().min(0),
    used: z.number().int().min(0),
    flagged: z.number().int().min(0),
    buckets: FrequencyBuckets,
  }),
  assignments: z.number().int().min(0),
  annotated: z.number().int().min(0),
  histogram: z.array(HistogramBin),
  topLabels: z.array(z.object({ code: z.string(), title: z.string(), trainCount: z.number().int() })),
});
export type ProjectStats = z.infer<typeof ProjectStats>;

/** The result of the `demo` job: the bundled demo project, created. */
export const DemoResult = z.object({ projectId: ProjectId });
export type DemoResult = z.infer<typeof DemoResult>;

export const projectMethods = {
  'projects.list': { input: Empty, output: z.object({ projects: z.array(ProjectSummary) }) },
  'projects.create': {
    input: z.object({ id: ProjectId, name: z.string().trim().min(1).max(200) }).strict(),
    output: ProjectSummary,
  },
  /**
   * A new, empty project in a folder of the caller's choosing, outside the data folder (`planter
   * init`); trusted callers only. Fails with `conflict` when the folder already holds a project.
   * @example { path: '/home/me/cardio', name: 'Cardiology' }
   */
  'projects.init': {
    input: z.object({ path: z.string().min(1).max(4096), name: z.string().trim().min(1).max(200).optional() }).strict(),
    /** `path` is absolute; `name` defaults to the folder's name. */
    output: z.object({ path: z.string(), name: z.string() }),
  },
  'projects.stats': { input: z.object({ projectId: ProjectId }).strict(), output: ProjectStats },
  /** A new display name; the folder (and id) stay. */
  'projects.rename': {
    input: z.object({ projectId: ProjectId, name: z.string().trim().min(1).max(200) }).strict(),
    output: ProjectSummary,
  },
  /**
   * Deletes a project in Planter's data folder with everything in it (documents, annotations,
   * models). `confirm` must repeat the id, so a stray call deletes nothing. Refused while a job
   * runs in it, and for project folders elsewhere (the command line's `--project DIR`).
   */
  'projects.delete': {
    input: z.object({ projectId: ProjectId, confirm: ProjectId }).strict(),
    output: z.object({}),
  },
} as const satisfies MethodTable;
