import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { keyToken, syntheticCorpus, TEST_SETTINGS } from '../plant/pipeline/testing/synthetic';
import { tempServices } from '../testing/temp-services';

const cli: CallContext = { transport: 'cli', trusted: true };
const http: CallContext = { transport: 'http', trusted: false };

/**
 * A synthetic corpus where each label's documents carry the label's key token: coder spans on the
 * key token are where a model that learned the labels looks, spans on a filler word are not.
 */
describe('spans.agreement with a trained model', () => {
  let env: ReturnType<typeof tempServices>;
  const projectId = 'agree';

  beforeAll(async () => {
    env = tempServices();
    const h = env.services.handlers;
    await call(h, 'projects.create', { id: projectId, name: 'Agreement' }, cli);
    const corpus = syntheticCorpus({ labels: 4, train: 120, dev: 30, seed: 3 });
    const rows = [
      ...corpus.train.map((d, i) => ({ id: `t${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'train' })),
      ...[...corpus.tuning, ...corpus.evaluation].map((d, i) => ({ id: `d${i}`, text: d.text, labels: d.labels.map((l) => `L${l}`), split: 'dev' })),
    ];
    const file = join(env.dataDir, 'agree.jsonl');
    writeFileSync(file, rows.map((r) => JSON.stringify(r)).join('\n'));
    const imported = await call(h, 'imports.corpus', { projectId, source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels', splitField: 'split' } }, cli);
    expect((await env.services.jobs.wait(imported.jobId)).outcome).toBe('done');
    const trained = await call(h, 'training.start', { projectId, mode: 'full', settings: { ...TEST_SETTINGS, lexical: { enabled: false } } }, http);
    expect((await env.services.jobs.wait(trained.jobId)).outcome).toBe('done');
  }, 300_000);
  afterAll(() => env.cleanup());

  /** Marks, on every dev document, the key token of each of its labels. */
  async function markKeyTokens(): Promise<void> {
    const h = env.services.handlers;
    for (const item of (await call(h, 'documents.list', { projectId, split: 'dev', limit: 500 }, http)).items) {
      const doc = await call(h, 'documents.get', { projectId, docId: item.id }, http);
      for (const l of doc.labels.filter((x) => x.present)) {
        const token = keyToken(Number(l.code.slice(1)));
        const start = new RegExp(`\\b${token}\\b`).exec(doc.text)!.index;
        await call(h, 'spans.add', { projectId, docId: doc.id, labelId: l.labelId, start, end: start + token.length }, http);
      }
    }
  }

  it('is high where coders mark the words the labels are learned from, and low on filler words', async () => {
    const h = env.services.handlers;
    await markKeyTokens();
    const onKey = await call(h, 'spans.agreement', { projectId, split: 'dev', k: 3, evidenceK: 3 }, http);
    expect(onKey.documents).toBe(30);
    expect(onKey.cases).toBeGreaterThan(15);
    expect(onKey.agreement).toBeGreaterThan(0.8);
    // Move every span to the document's first word (a filler word): the model does not look there.
    for (const item of (await call(h, 'documents.list', { projectId, split: 'dev', limit: 500 }, http)).items) {
      for (const sp of (await call(h, 'spans.list', { projectId, docId: item.id }, http)).spans) {
        const text = (await call(h, 'documents.get', { projectId, docId: item.id }, http)).text;
        if (!text.startsWith(keyToken(Number(sp.code.slice(1))))) await call(h, 'spans.update', { projectId, spanId: sp.id, start: 0, end: text.indexOf(' ') }, http);
      }
    }
    const onFiller = await call(h, 'spans.agreement', { projectId, split: 'dev', k: 3, evidenceK: 3 }, http);
    expect(onFiller.cases).toBe(onKey.cases);
    expect(onFiller.agreement!).toBeLessThan(onKey.agreement! - 0.3);
  }, 120_000);
});
