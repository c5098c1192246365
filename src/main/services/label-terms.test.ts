import { describe, expect, it } from 'vitest';
import { distinctiveTerms, documentsToRead, DocumentTerms } from './label-terms';

const DOCS = [
  { id: 1, text: 'Patient with a heart attack and chest pain.' },
  { id: 2, text: 'Heart attack confirmed by troponin.' },
  { id: 3, text: 'Broken femur after a fall at 80 years.' },
  { id: 4, text: 'Heart murmur, no attack.' },
];

describe('distinctiveTerms', () => {
  it('weights the terms of each label by how many of its documents share them × ln(N / df) (hand-computed)', async () => {
    const docs = new DocumentTerms();
    await docs.addAll(DOCS);
    // N = 4 labelled documents. df: heart 3, attack 3, "heart attack" 2, everything else 1.
    const terms = await distinctiveTerms(
      docs,
      new Map([
        [10, [1, 2]],
        [20, [3]],
        [30, [4]],
      ]),
    );
    expect(terms).toEqual([
      // Label 10 (2 documents): only terms both share. "heart attack" 2/2 × ln(4/2) = 0.693; heart and
      // attack 2/2 × ln(4/3) = 0.288 (ties: longer first). Not "chest pain" or "troponin" (one document each).
      { labelId: 10, terms: ['heart attack', 'attack', 'heart'] },
      // Label 20 (1 document): its words, all ln(4/1) = 1.386; no "after", "years" (stop-words) or "80".
      { labelId: 20, terms: ['broken femur', 'broken', 'femur', 'fall'] },
      // Label 30: "murmur, no attack" makes no phrase across the comma, nor with the stop-word "no".
      { labelId: 30, terms: ['heart murmur', 'murmur', 'attack', 'heart'] },
    ]);
  });

  it('keeps a document\'s terms once, however many labels it has, and at most perLabel of them', async () => {
    const docs = new DocumentTerms({ perLabel: 2, maxChars: 1000 });
    await docs.addAll(DOCS);
    await docs.addAll(DOCS); // already known: not tokenised again
    expect(docs.has(1)).toBe(true);
    const terms = await distinctiveTerms(docs, new Map([[20, [3]], [21, [3, 4]]]));
    expect(terms.find((t) => t.labelId === 20)!.terms).toEqual(['broken femur', 'broken']);
    // Label 21's two documents share nothing: no terms, and the label is left out.
    expect(terms.find((t) => t.labelId === 21)).toBeUndefined();
  });

  it('counts documents without labels in the document frequencies: a term every labelled document shares still stands out', async () => {
    const docs = new DocumentTerms();
    await docs.addAll(DOCS);
    const only = new Map([[10, [1, 2]]]);
    // Alone, documents 1 and 2 share "heart attack" with every labelled document: ln(2/2) = 0.
    expect(await distinctiveTerms(docs, only)).toEqual([]);
    // Against documents 3 and 4 too (N = 4): df(heart attack) = 2 → ln 2; heart, attack df 3 → ln(4/3).
    expect(await distinctiveTerms(docs, only, [3, 4])).toEqual([{ labelId: 10, terms: ['heart attack', 'attack', 'heart'] }]);
  });

  it('reads only the first maxChars of a document', async () => {
    const docs = new DocumentTerms({ perLabel: 12, maxChars: 12 });
    docs.add(1, 'Heart attack and then much later something else entirely');
    expect(Array.from(docs.of(1), (t) => docs.term(t)).sort()).toEqual(['attack', 'heart', 'heart attack']);
  });
});

describe('documentsToRead', () => {
  it("keeps each label's newest documents, halving the share per label until the whole fits", () => {
    const assigned = new Map([
      [1, [9, 8, 7, 6, 5]],
      [2, [4, 3, 2, 1]],
    ]);
    expect(documentsToRead(assigned, 4, 100)).toEqual(new Map([[1, [9, 8, 7, 6]], [2, [4, 3, 2, 1]]]));
    // 8 documents do not fit in 5: two per label do.
    expect(documentsToRead(assigned, 4, 5)).toEqual(new Map([[1, [9, 8]], [2, [4, 3]]]));
    // Never fewer than one per label, even past the bound.
    expect(documentsToRead(assigned, 4, 1)).toEqual(new Map([[1, [9]], [2, [4]]]));
  });
});
