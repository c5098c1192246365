import type { EventHub } from '../core/event-hub';
import type { JobRunner } from '../jobs/job-runner';
import type { ProjectRegistry } from './project-registry';
import type { UploadStore } from './upload-store';
import type { ModelCache } from './model-cache';
import type { KeywordBuilds } from './queue/keyword-builds';
import type { SpawnTrainingWorker } from '../training/training-runner';
import type { SpawnLexicalWorker } from '../lexical/group-runner';
import type { SpawnStoreWorker } from '../jobs/store-work';

/** What every service area may use: the composition root builds one and hands it to each. */
export interface ServiceContext {
  version: string;
  resourcesDir: string;
  projects: ProjectRegistry;
  uploads: UploadStore;
  jobs: JobRunner;
  events: EventHub;
  capabilities: { cuda: boolean; tfjsNode: boolean; nativeDialogs: boolean };
  /** Loaded models (predictors) per project. */
  models: ModelCache;
  /** The queue's keyword index per project, built in the background (started by the overview or the queue). */
  keywords: KeywordBuilds;
  /** Runs training in a worker thread (the app); absent: in-process (CLI, tests). */
  spawnTrainingWorker?: SpawnTrainingWorker | undefined;
  /** Worker threads of the lexical ranker when training runs in this process (the CLI). */
  spawnLexicalWorker?: SpawnLexicalWorker | undefined;
  /** Runs imports and exports in a worker thread (the app); absent: in-process (CLI, tests). */
  spawnStoreWorker?: SpawnStoreWorker | undefined;
  /** Electron-ABI build of better-sqlite3 for worker threads that open the project. */
  nativeBinding?: string | undefined;
}
