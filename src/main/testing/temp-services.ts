import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resourcesDir } from '../app/paths';
import { createServices, type Services, type ServicesConfig } from '../app/services';

/** Services over a throw-away data folder, for tests; `cleanup` disposes and deletes it. */
export function tempServices(extra: Pick<ServicesConfig, 'spawnStoreWorker'> = {}): { services: Services; dataDir: string; cleanup: () => Promise<void> } {
  const dataDir = mkdtempSync(join(tmpdir(), 'planter-test-'));
  const services = createServices({ dataDir, resourcesDir: resourcesDir(), version: '0.0.0-test', ...extra });
  return {
    services,
    dataDir,
    cleanup: async () => {
      await services.dispose();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
