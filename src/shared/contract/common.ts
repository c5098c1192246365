import { z } from 'zod';
import type { WireError } from '../errors';

/** Project ids are folder names: lower-case slugs, so they are safe in paths and URLs. */
export const ProjectId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'a project id is 1–63 lower-case letters, digits or dashes');
export type ProjectId = z.infer<typeof ProjectId>;

export const JobId = z.string().regex(/^job-[a-z0-9-]{1,64}$/);
export type JobId = z.infer<typeof JobId>;

/** Internal row id of a document or label inside one project. */
export const RowId = z.number().int().positive();

export const Split = z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/, 'a split name is a lower-case word such as train, dev, test or pool');
export type Split = z.infer<typeof Split>;

export const Page = z.object({
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(50),
});

export const Empty = z.object({}).strict();

/** What every method that starts a job answers at once; the job's end arrives as `jobs.finished`. */
export const JobStarted = z.object({ jobId: JobId });

export interface MethodSpec {
  input: z.ZodType;
  output: z.ZodType;
}
export type MethodTable = Record<string, MethodSpec>;

export type Reply<T> = { ok: true; value: T } | { ok: false; error: WireError };
