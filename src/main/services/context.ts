import type { EventHub } from '../app/event-hub';
import type { JobRunner } from '../jobs/job-runner';
import type { ProjectRegistry } from './project-registry';
import type { UploadStore } from './upload-store';

/** What every service area may use: the composition root builds one and hands it to each. */
export interface ServiceContext {
  version: string;
  resourcesDir: string;
  projects: ProjectRegistry;
  uploads: UploadStore;
  jobs: JobRunner;
  events: EventHub;
  capabilities: { cuda: boolean; tfjsNode: boolean; nativeDialogs: boolean };
}
