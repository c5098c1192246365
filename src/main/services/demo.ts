import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { CatalogueFormat, CorpusFormat, FieldMapping } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import { readEvidenceFile } from '../importers/codiesp-spans';
import { importCatalogue, importCorpus } from '../importers/run-import';
import type { ServiceContext } from './context';
import { reportImport } from './import-handlers';
import { storeEvidence } from './span-import';

export const DEMO_PROJECT_ID = 'demo';

/**
 * The demo's language, chosen when it is built: English (the organisers' machine translation, the
 * default) or the original Spanish of CodiEsp, whose evidence spans are offsets into the Spanish
 * text and so can only be imported there. The Spanish demo is its own project, `demo-es`.
 */
export type DemoLanguage = 'en' | 'es';
export const DEMO_PROJECT_IDS: Record<DemoLanguage, string> = { en: DEMO_PROJECT_ID, es: 'demo-es' };

/** PLANTER_DEMO_LANGUAGE=es picks the Spanish demo (the desktop app has no flags of its own). */
export function demoLanguageOf(value: string | undefined): DemoLanguage {
  if (value === undefined || value === '' || value === 'en') return 'en';
  if (value === 'es') return 'es';
  throw new PlanterError('invalid-input', `the demo language is en or es, not "${value}"`);
}

const DemoManifest = z.object({
  id: z.string(),
  name: z.string(),
  steps: z.array(
    z.union([
      z.object({ kind: z.literal('catalogue'), file: z.string(), format: CatalogueFormat }),
      z.object({ kind: z.literal('corpus'), file: z.string(), format: CorpusFormat, mapping: FieldMapping }),
      z.object({ kind: z.literal('spans'), file: z.string(), format: z.literal('codiesp-x') }),
    ]),
  ),
});

/** resources/demo (English, shipped) or resources/demo-es (Spanish, written by scripts/build-demo.mjs --language es). */
export function demoDir(resourcesDir: string, language: DemoLanguage = 'en'): string {
  return join(resourcesDir, language === 'en' ? 'demo' : `demo-${language}`);
}

/**
 * Creates the bundled CodiEsp demo project on first start, from files shipped in resources/demo
 * (no network). Built in a hidden folder and renamed into place, so an interrupted first start is
 * simply retried on the next. Returns the job id, or null when the demo already exists.
 */
export function ensureDemo(s: ServiceContext, language: DemoLanguage = 'en'): string | null {
  const projectId = DEMO_PROJECT_IDS[language];
  if (s.projects.exists(projectId)) return null;
  const running = s.jobs.running(projectId, ['demo']);
  if (running) return running.jobId;
  const dir = demoDir(s.resourcesDir, language);
  const manifestPath = join(dir, 'manifest.json');
  if (!existsSync(manifestPath)) {
    const hint = language === 'en' ? '' : `; build it from ../shared/data with: node scripts/build-demo.mjs --language ${language}`;
    throw new PlanterError('not-found', `the bundled demo is missing (${manifestPath})${hint}`);
  }
  const manifest = DemoManifest.parse(JSON.parse(readFileSync(manifestPath, 'utf8')));
  return s.jobs.start('demo', projectId, async (job) => {
    try {
      await s.projects.createAtomically(projectId, manifest.name, { demo: true }, async (store) => {
        for (const [i, step] of manifest.steps.entries()) {
          const options = {
            file: join(dir, step.file),
            displayName: step.file,
            tmpDir: store.path('tmp'),
            signal: job.signal,
            who: s.annotator.name(),
            onProgress: (p: Parameters<typeof reportImport>[1]) => {
              reportImport(job, p);
              job.progress({ phase: `demo ${i + 1}/${manifest.steps.length}: ${step.file}`, done: i, total: manifest.steps.length, unit: 'files' });
            },
          };
          if (step.kind === 'catalogue') await importCatalogue(store.db, step.format, options);
          else if (step.kind === 'corpus') await importCorpus(store.db, step.format, step.mapping, options);
          else storeEvidence(store, await readEvidenceFile(options.file, step.file, job.signal), step.file);
        }
      });
    } catch (e) {
      s.projects.discardStaging(projectId);
      throw e;
    }
    s.events.emit('projects.changed', { projectId, what: 'documents' });
    return { projectId };
  });
}
