import { resolve } from 'node:path';
import { appRoot, appVersion, defaultDataDir, resourcesDir } from '../app/paths';
import { createServices, type Services, type ServicesConfig } from '../app/services';
import { call } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import type { Method, Output } from '../../shared/contract';

export const CLI_CONTEXT: CallContext = { transport: 'cli', trusted: true };

/** One CLI invocation's services, over the same dispatch the UI uses. */
export class CliSession {
  readonly services: Services;
  constructor(dataDir = defaultDataDir(), extra: Pick<ServicesConfig, 'spawnTrainingWorker' | 'spawnLexicalWorker' | 'spawnStoreWorker'> = {}) {
    const root = appRoot();
    this.services = createServices({ dataDir, resourcesDir: resourcesDir(root), version: appVersion(root), ...extra });
  }

  /** Makes a project folder addressable; returns its id for contract calls. */
  project(dir: string): string {
    return this.services.projects.register(resolve(dir));
  }

  call<M extends Method>(method: M, input: unknown): Promise<Output<M>> {
    return call(this.services.handlers, method, input, CLI_CONTEXT);
  }

  dispose(): Promise<void> {
    return this.services.dispose();
  }
}
