/**
 * Smoke test on real data (CodiEsp train, 500 documents): the whole text → MIG → grades path
 * runs and finds the obvious association. Skipped when the shared data folder is absent.
 */
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { encodeTokens } from '../text/encode';
import { tokenize } from '../text/tokenizer';
import { buildVocabulary } from '../text/vocabulary';
import { buildGradeTable } from './description-grades';
import { computeMig } from './mig';
import { buildTokenPresence } from './presence';

// The shared data folder sits beside the repository (../shared/data); PLANTER_DATA overrides it.
const TRAIN = resolve(process.env.PLANTER_DATA ?? resolve(import.meta.dirname, '../../../../../shared/data'), 'codiesp/train.jsonl.gz');

describe.skipIf(!existsSync(TRAIN))('CodiEsp train smoke', () => {
  it('R52 "pain, unspecified" ranks "pain" first; a zero-shot label gets description grades', () => {
    const docs = gunzipSync(readFileSync(TRAIN))
      .toString('utf8')
      .split('\n')
      .filter((l) => l.length > 0)
      .map((l) => JSON.parse(l) as { text_en: string; labels_diagnosis: string[] });
    const tokens = docs.map((d) => tokenize(d.text_en));
    const vocab = buildVocabulary(tokens, undefined, { minCount: 3 });
    const codes = [...new Set(docs.flatMap((d) => d.labels_diagnosis)), 'Q62.11'];
    const labelId = new Map(codes.map((c, i) => [c, i]));
    const mig = computeMig({
      presence: buildTokenPresence(tokens.map((t) => encodeTokens(t, vocab)), vocab.size),
      docLabels: docs.map((d) => d.labels_diagnosis.map((c) => labelId.get(c)!)),
      vocabSize: vocab.size,
      numLabels: codes.length,
    });
    const r52 = labelId.get('R52')!;
    expect(mig.labelDocFreq[r52]).toBe(112);
    expect(vocab.tokens[mig.labels[r52]!.tokens[0]!]).toBe('pain');
    const zero = labelId.get('Q62.11')!;
    expect(mig.labelDocFreq[zero]).toBe(0);
    const descriptions = codes.map((c) =>
      c === 'Q62.11' ? { code: c, title: 'Congenital occlusion of ureteropelvic junction', synonyms: [] } : undefined,
    );
    const table = buildGradeTable(mig, { vocab, descriptions });
    expect(table.source(zero)).toBe('description');
    expect(table.gradeOf(zero, vocab.idOf('junction'))).toBe(101);
    expect(table.gradeOf(zero, vocab.idOf('pain'))).toBe(1);
  });
});
