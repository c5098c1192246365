import { z } from 'zod';
import { appMethods } from './app';
import { documentMethods } from './documents';
import { exportMethods } from './exports';
import { importMethods } from './imports';
import { JobFinished, JobProgress, jobMethods } from './jobs';
import { labelMethods } from './labels';
import { projectMethods } from './projects';
import { uploadMethods } from './uploads';
import { trainingMethods } from './training';
import { annotationMethods } from './annotations';
import { queueMethods, QueueReordered } from './queue';
import { labelCatalogueMethods } from './label-catalogue';
import { benchmarkMethods } from './benchmarks';
import { downloadMethods } from './downloads';
import { spanMethods } from './spans';
import { annotatorMethods } from './annotators';
import { bulkAnnotationMethods } from './bulk-annotations';
import { noteMethods } from './notes';
import { guidelineMethods } from './guidelines';
import { ProjectId } from './common';

export * from './common';
export * from './app';
export * from './projects';
export * from './jobs';
export * from './uploads';
export * from './imports';
export * from './documents';
export * from './labels';
export * from './exports';
export * from './training';
export * from './training-settings';
export * from './annotations';
export * from './queue';
export * from './label-catalogue';
export * from './benchmarks';
export * from './downloads';
export * from './spans';
export * from './event-stream';
export * from './annotators';
export * from './bulk-annotations';
export * from './notes';
export * from './guidelines';

/** Every request the UI can make of the main side, in one table: the single source of truth. */
export const methods = {
  ...appMethods,
  ...projectMethods,
  ...jobMethods,
  ...uploadMethods,
  ...importMethods,
  ...documentMethods,
  ...labelMethods,
  ...exportMethods,
  ...trainingMethods,
  ...annotationMethods,
  ...queueMethods,
  ...labelCatalogueMethods,
  ...benchmarkMethods,
  ...downloadMethods,
  ...spanMethods,
  ...annotatorMethods,
  ...bulkAnnotationMethods,
  ...noteMethods,
  ...guidelineMethods,
} as const;

/** Every event the main side pushes. */
export const events = {
  'jobs.progress': JobProgress,
  'jobs.finished': JobFinished,
  /** The project's data changed (import, annotation, new model): views refetch what they show. */
  'projects.changed': z.object({ projectId: ProjectId, what: z.enum(['documents', 'labels', 'annotations', 'models']) }),
  'queue.reordered': QueueReordered,
} as const;

export type Method = keyof typeof methods;
export type EventName = keyof typeof events;
export type Input<M extends Method> = z.input<(typeof methods)[M]['input']>;
export type ParsedInput<M extends Method> = z.output<(typeof methods)[M]['input']>;
export type Output<M extends Method> = z.output<(typeof methods)[M]['output']>;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export const methodNames = Object.keys(methods) as Method[];
export const eventNames = Object.keys(events) as EventName[];

export function isMethod(name: unknown): name is Method {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(methods, name);
}
export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}
