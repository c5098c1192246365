import { resolve } from 'node:path';
import { appRoot, appVersion, defaultDataDir, resourcesDir } from '../app/paths';
import { createServices, type Services, type ServicesConfig } from '../app/services';
import { call } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import type { Method, Output } from '../../shared/contract';

export const CLI_CONTEXT: CallContext = { transport: 'cli', trusted: true };

type SessionExtra = Pick<ServicesConfig, 'spawnTrainingWorker' | 'spawnLexicalWorker' | 'spawnStoreWorker'>;

/** One CLI invocation's services, over the same dispatch the UI uses. */
export class CliSession {
  readonly services: Services;
  constructor(dataDir = defaultDataDir(), extra: SessionExtra = {}) {
    const root = appRoot();
    this.services = createServices({ dataDir, resourcesDir: resourcesDir(root), version: appVersion(root), ...extra });
  }

  /** Makes a project folder addressable; returns its id for contract calls. */
  project(dir: string): string {
    return this.services.projects.register(resolve(dir));
  }

  /** A contract call as the trusted command line (input validated by the same dispatch as the UI's). */
  call<M extends Method>(method: M, input: unknown): Promise<Output<M>> {
    return call(this.services.handlers, method, input, CLI_CONTEXT);
  }

  dispose(): Promise<void> {
    return this.services.dispose();
  }
}

/** Runs `work` over a fresh session, disposed however `work` ends (jobs still running are cancelled). */
export async function withSession<T>(work: (session: CliSession) => Promise<T>, extra: SessionExtra = {}): Promise<T> {
  const session = new CliSession(undefined, extra);
  try {
    return await work(session);
  } finally {
    await session.dispose();
  }
}

/** `withSession` with the project folder `dir` registered: `work` gets its id for contract calls. */
export function withProject<T>(dir: string, work: (session: CliSession, projectId: string) => Promise<T>, extra: SessionExtra = {}): Promise<T> {
  return withSession((session) => work(session, session.project(dir)), extra);
}
