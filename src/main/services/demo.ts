import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CatalogueFormat, CorpusFormat, FieldMapping } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import { importCatalogue, importCorpus } from '../importers/run-import';
import type { ServiceContext } from './context';
import { reportImport } from './import-handlers';

export const DEMO_PROJECT_ID = 'demo';

const DemoManifest = z.object({
  id: z.string(),
  name: z.string(),
  steps: z.array(
    z.union([
      z.object({ kind: z.literal('catalogue'), file: z.string(), format: CatalogueFormat }),
      z.object({ kind: z.literal('corpus'), file: z.string(), format: CorpusFormat, mapping: FieldMapping }),
    ]),
  ),
});

export function demoDir(resourcesDir: string): string {
  return join(resourcesDir, 'demo');
}

/**
 * Creates the bundled CodiEsp demo project on first start, from files shipped in resources/demo
 * (no network). Built in a hidden folder and renamed into place, so an interrupted first start is
 * simply retried on the next. Returns the job id, or null when the demo already exists.
 */
export function ensureDemo(s: ServiceContext): string | null {
  if (s.projects.exists(DEMO_PROJECT_ID)) return null;
  const running = s.jobs.running(DEMO_PROJECT_ID, ['demo']);
  if (running) return running.jobId;
  const dir = demoDir(s.resourcesDir);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) throw new PlanterError('not-found', `the bundled demo is missing (${manifestPath})`);
  const manifest = DemoManifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  return s.jobs.start('demo', DEMO_PROJECT_ID, async (job) => {
    try {
      await s.projects.createAtomically(DEMO_PROJECT_ID, manifest.name, { demo: true }, async (store) => {
        for (const [i, step] of manifest.steps.entries()) {
          const options = {
            file: join(dir, step.file),
            displayName: step.file,
            tmpDir: store.path('tmp'),
            signal: job.signal,
            onProgress: (p: Parameters<typeof reportImport>[1]) => {
              reportImport(job, p);
              job.progress({ phase: `demo ${i + 1}/${manifest.steps.length}: ${step.file}`, done: i, total: manifest.steps.length, unit: 'files' });
            },
          };
          if (step.kind === 'catalogue') await importCatalogue(store.db, step.format, options);
          else await importCorpus(store.db, step.format, step.mapping, options);
        }
      });
    } catch (e) {
      s.projects.discardStaging(DEMO_PROJECT_ID);
      throw e;
    }
    s.events.emit('projects.changed', { projectId: DEMO_PROJECT_ID, what: 'documents' });
    return { projectId: DEMO_PROJECT_ID };
  });
}
