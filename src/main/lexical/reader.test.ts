import { describe, expect, it } from 'vitest';
import { Rng } from '../engine/rng';
import { encodeLexicalModel } from './format';
import { inlineRunner } from './group-runner';
import { buildNeighbourIndex, NeighbourSearch } from './neighbours';
import { rankLabels } from './ranker';
import { fitTfidf, TfidfVectorizer } from './tfidf';
import { DEFAULT_RANKER_OPTIONS, groupOptions, trainRanker } from './train-ranker';
import { CsrBuilder } from './sparse';
// The reference reader of docs/lexical-format.md, plain JavaScript.
// @ts-expect-error: an .mjs file without declarations
import { neighbourVotes, rankLabels as readerRank, readLexical, tfidfRow } from '../../../docs/lexical-reader.mjs';

interface ReaderRow { indices: number[]; values: number[] }
interface ReaderRanked { label: number; score: number; raw: number }

describe("docs/lexical-reader.mjs, the format's reference reader", () => {
  it('computes the same TF-IDF rows, the same ranking and the same neighbour votes as Planter, tree and flat', async () => {
    // 12 labels, each with its own two words (ids 4 + 2l, 5 + 2l), documents of 6–12 tokens
    const rng = new Rng(3);
    const V = 40;
    const docs: Int32Array[] = [];
    const labels: number[][] = [];
    for (let i = 0; i < 240; i++) {
      const l = i % 12;
      const ids = Array.from({ length: 6 + rng.int(7) }, () => (rng.next() < 0.6 ? 4 + 2 * l + rng.int(2) : 28 + rng.int(12)));
      docs.push(Int32Array.from(ids));
      labels.push([l]);
    }
    const { model: tfidf } = fitTfidf(docs, V);
    const vec = new TfidfVectorizer(tfidf);
    const X = vec.transformAll(docs);
    for (const structure of ['tree', 'flat'] as const) {
      const o = { ...DEFAULT_RANKER_OPTIONS, structure, leafSize: 3 };
      const { ranker } = await trainRanker(X, labels, 14, o, { runner: inlineRunner(X, groupOptions(o)) });
      const desc = new CsrBuilder(X.cols);
      for (let l = 0; l < 14; l++) desc.push([], []);
      const neighbours = buildNeighbourIndex(X, labels, { keep: 4 });
      const m = readLexical(encodeLexicalModel({ tfidf, ranker, descriptions: desc.build(), options: o, neighbours }));
      const search = new NeighbourSearch(neighbours);
      for (const ids of docs.slice(0, 40)) {
        const mine = vec.transform(ids);
        const theirs = tfidfRow(m, Array.from(ids)) as ReaderRow;
        expect(theirs.indices).toEqual(Array.from(mine.indices));
        theirs.values.forEach((v, j) => expect(v).toBeCloseTo(mine.values[j]!, 6));
        const a = rankLabels(ranker, mine, { beam: 2, topK: 5 });
        const b = readerRank(m, theirs, { beam: 2, topK: 5 }) as ReaderRanked[];
        expect(b.map((r) => r.label)).toEqual(Array.from(a.labels));
        b.forEach((r, j) => expect(r.score).toBeCloseTo(a.scores[j]!, 5));
        const votes = search.votes(mine, { k: 5, queryFeatures: 3 });
        const theirVotes = neighbourVotes(m, theirs, { k: 5, queryFeatures: 3 }) as { label: number; vote: number }[];
        expect(theirVotes.map((v) => v.label)).toEqual(Array.from(votes.labels));
        theirVotes.forEach((v, j) => expect(v.vote).toBeCloseTo(votes.votes[j]!, 5));
      }
    }
  });
});
