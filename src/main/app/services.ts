import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { EventHub } from '../core/event-hub';
import type { Handlers } from '../core/handlers';
import { JobRunner } from '../jobs/job-runner';
import type { ServiceContext } from '../services/context';
import { ProjectRegistry } from '../services/project-registry';
import { UploadStore } from '../services/upload-store';
import { projectHandlers } from '../services/project-handlers';
import { jobHandlers } from '../services/job-handlers';
import { uploadHandlers } from '../services/upload-handlers';
import { importHandlers } from '../services/import-handlers';
import { documentHandlers } from '../services/document-handlers';
import { exportHandlers } from '../services/export-handlers';
import { downloadHandlers } from '../services/download-handlers';
import { annotationHandlers } from '../services/annotation-handlers';
import { queueHandlers } from '../services/queue-handlers';
import { labelHandlers } from '../services/label-handlers';
import { benchmarkHandlers } from '../services/benchmark-handlers';
import { trainingHandlers } from '../services/training-handlers';
import { modelHandlers } from '../services/model-handlers';
import { spanHandlers } from '../services/span-handlers';
import { notesHandlers } from '../services/notes-handlers';
import { ModelCache } from '../services/model-cache';
import { AnnotatorStore } from '../services/annotator-store';
import { provenanceHandlers } from '../services/provenance-handlers';
import { KeywordBuilds } from '../services/queue/keyword-builds';
import { detectCapabilities } from '../services/capabilities';
import type { SpawnTrainingWorker } from '../training/training-runner';
import type { SpawnLexicalWorker } from '../lexical/group-runner';
import type { SpawnStoreWorker } from '../jobs/store-work';

export interface ServicesConfig {
  /** Where projects and uploads live (Electron's userData, or ~/.planter in browser mode). */
  dataDir: string;
  /** The app's resources/ folder (the bundled demo). */
  resourcesDir: string;
  version: string;
  nativeDialogs?: boolean;
  /** Electron-ABI build of better-sqlite3, when running inside Electron. */
  nativeBinding?: string;
  /** Runs training in a worker thread (built app); without it training runs in-process. */
  spawnTrainingWorker?: SpawnTrainingWorker;
  spawnLexicalWorker?: SpawnLexicalWorker;
  /** Runs imports and exports in a worker thread (built app); without it they run in-process. */
  spawnStoreWorker?: SpawnStoreWorker;
}

export interface Services {
  handlers: Handlers;
  context: ServiceContext;
  events: EventHub;
  jobs: JobRunner;
  projects: ProjectRegistry;
  dispose(): Promise<void>;
}

/** The composition root shared by Electron, the web host and the CLI (one core, three transports). */
export function createServices(config: ServicesConfig): Services {
  // Annotations are confidential (clinical text): a data folder this creates is private to the
  // user (0700), so other accounts on the machine cannot read the projects inside it.
  mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
  const events = new EventHub();
  const jobs = new JobRunner(events);
  const projects = new ProjectRegistry(config.dataDir, { nativeBinding: config.nativeBinding });
  const uploads = new UploadStore(join(config.dataDir, 'uploads'));
  const context: ServiceContext = {
    version: config.version,
    resourcesDir: config.resourcesDir,
    projects,
    uploads,
    jobs,
    events,
    capabilities: { cuda: false, tfjsNode: false, nativeDialogs: config.nativeDialogs ?? false },
    annotator: new AnnotatorStore(config.dataDir),
    models: new ModelCache(),
    keywords: new KeywordBuilds(jobs),
    spawnTrainingWorker: config.spawnTrainingWorker,
    spawnLexicalWorker: config.spawnLexicalWorker,
    spawnStoreWorker: config.spawnStoreWorker,
    nativeBinding: config.nativeBinding,
  };
  // CUDA and tfjs-node are probed once in the background; until then both read as unavailable.
  const probed = detectCapabilities().then((c) => Object.assign(context.capabilities, c)).catch(() => undefined);
  const handlers: Handlers = {
    ...projectHandlers(context),
    ...jobHandlers(context),
    ...uploadHandlers(context),
    ...importHandlers(context),
    ...documentHandlers(context),
    ...exportHandlers(context),
    ...downloadHandlers(context),
    ...annotationHandlers(context),
    ...queueHandlers(context),
    ...labelHandlers(context),
    ...benchmarkHandlers(context),
    ...trainingHandlers(context),
    ...modelHandlers(context),
    ...spanHandlers(context),
    ...provenanceHandlers(context),
    ...notesHandlers(context),
  };
  return {
    handlers,
    context,
    events,
    jobs,
    projects,
    async dispose() {
      await probed;
      await jobs.dispose();
      await context.models.dispose();
      uploads.dispose();
      projects.closeAll();
    },
  };
}
