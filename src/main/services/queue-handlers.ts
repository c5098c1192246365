import type { QueueItem, QueueOutput } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { Handlers } from '../app/dispatch';
import type { ProjectStore } from '../store/project-store';
import { QueueRepo, type Scope } from '../store/queue-repo';
import type { ServiceContext } from './context';
import { KeywordIndex, type Seed } from './queue-keywords';
import { cosine, QueueModelScores, uncertainty, type ModelScores, type ScoresAnswer } from './queue-model';

/** Labels with at most this many training documents are "rare" for the rare-first order (PLANT.md §3: few = 1–5). */
export const RARE_MAX_TRAIN_DOCS = 5;
/** A document must hold this share of a label's seed weight to count as evidence for it. */
const MIN_COVERAGE = 0.6;
const DESCRIPTION_SEEDS = 3;
const MIG_SEEDS = 3;

interface Ranked {
  ids: number[];
  scores: (number | null)[];
  reasons: (string | null)[];
}

/**
 * Merges two rankings of the same documents by the larger of their scores, each first divided by
 * its own maximum (keyword evidence and model scores live on different scales); the reason comes
 * from the side that won.
 */
function fuse(a: Ranked, b: Ranked): Ranked {
  const max = (r: Ranked): number => Math.max(1e-12, ...r.scores.map((x) => x ?? 0));
  const best = new Map<number, { score: number; reason: string | null }>();
  for (const r of [a, b]) {
    const m = max(r);
    r.ids.forEach((id, i) => {
      const score = (r.scores[i] ?? 0) / m;
      const prev = best.get(id);
      if (!prev || score > prev.score) best.set(id, { score, reason: r.reasons[i] ?? null });
    });
  }
  const ids = [...best.keys()].sort((x, y) => best.get(y)!.score - best.get(x)!.score || x - y);
  return { ids, scores: ids.map((id) => best.get(id)!.score), reasons: ids.map((id) => best.get(id)!.reason) };
}

/** Per document, its best few labels by description evidence (flattened [D × TOP_LABELS]; label -1 = empty). */
interface DescriptionEvidence {
  labels: Int32Array;
  evidence: Float64Array;
  matched: Int32Array;
}
const TOP_LABELS = 4;

interface Cached {
  version: string;
  index: Promise<KeywordIndex>;
  /** Description seeds depend only on the index: computed once per index. */
  seeds: Map<number, Seed[]>;
  /** MIG seeds per label, kept while the label's positive documents stay the same. */
  mig: Map<number, { key: string; seeds: Seed[] }>;
  evidence?: Promise<DescriptionEvidence>;
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Mixes a 32-bit integer (murmur3's finaliser): a stable shuffle key for the random order. */
function mix32(x: number): number {
  x = Math.imul(x ^ (x >>> 16), 0x85ebca6b);
  x = Math.imul(x ^ (x >>> 13), 0xc2b2ae35);
  return (x ^ (x >>> 16)) >>> 0;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/**
 * The annotation queue: which documents to annotate next, by strategy. Model-free orders (rare
 * labels by keyword seeds, by-label keywords, search, similar words, random, sequential) work
 * from the first minute; `uncertainty` says it needs a model.
 */
export function queueHandlers(s: ServiceContext): Pick<Handlers, 'queue.next'> {
  const cache = new WeakMap<ProjectStore, Cached>();
  const modelScores = new QueueModelScores(s);
  const repos = new WeakMap<ProjectStore, QueueRepo>();
  const repoOf = (store: ProjectStore): QueueRepo => {
    let repo = repos.get(store);
    if (!repo) repos.set(store, (repo = new QueueRepo(store.db)));
    return repo;
  };
  const indexOf = (store: ProjectStore, repo: QueueRepo): { cached: Cached; index: Promise<KeywordIndex> } => {
    const version = repo.corpusVersion();
    let cached = cache.get(store);
    if (!cached || cached.version !== version) {
      const index = KeywordIndex.build(repo.texts(), repo.labelsForSeeds());
      cached = { version, index, seeds: new Map(), mig: new Map() };
      cache.set(store, cached);
      // A failed build must not stay cached.
      index.catch(() => cache.delete(store));
    }
    return { cached, index: cached.index };
  };

  const mask = (index: KeywordIndex, ids: readonly number[]): Uint8Array => {
    const m = new Uint8Array(index.numDocs);
    for (const id of ids) {
      const i = index.docIndex(id);
      if (i !== undefined) m[i] = 1;
    }
    return m;
  };

  /** Training documents as index positions, their token frequencies and each label's positives. */
  const training = (index: KeywordIndex, repo: QueueRepo) => {
    const toIdx = (ids: readonly number[]): number[] => ids.flatMap((id) => {
      const i = index.docIndex(id);
      return i === undefined ? [] : [i];
    });
    const docs = toIdx(repo.trainingDocIds());
    const positives = new Map<number, number[]>();
    for (const [label, ids] of repo.trainingPositives()) positives.set(label, toIdx(ids));
    return { docs, df: index.documentFrequency(docs), positives };
  };

  const descriptionSeeds = (index: KeywordIndex, cached: Cached, labelId: number): Seed[] => {
    let seeds = cached.seeds.get(labelId);
    if (!seeds) cached.seeds.set(labelId, (seeds = index.descriptionSeeds(labelId, DESCRIPTION_SEEDS)));
    return seeds;
  };

  /**
   * A label's top MIG tokens over the training documents, weighted by distinctiveness like
   * description tokens. Cached while the label's positive documents stay the same: the other
   * documents' frequencies drift a little with every finished document, its own positives decide.
   */
  const migSeeds = (index: KeywordIndex, cached: Cached, labelId: number, positives: readonly number[], train: ReturnType<typeof training>, k: number): Seed[] => {
    const key = `${k}:${positives.join(',')}`;
    let entry = cached.mig.get(labelId);
    if (!entry || entry.key !== key) {
      const seeds = index.migSeeds(positives, train.df, train.docs.length, k).map((x) => ({ token: x.token, weight: index.tokenWeight(x.token) }));
      cached.mig.set(labelId, (entry = { key, seeds }));
    }
    return entry.seeds;
  };

  /**
   * Description evidence of every label in every document, reduced to each document's best few
   * labels. Seeds depend only on the corpus, so this runs once per index (in slices, yielding), and
   * each request only re-weighs it by the labels' current training counts.
   */
  const descriptionEvidence = (index: KeywordIndex, cached: Cached): Promise<DescriptionEvidence> =>
    (cached.evidence ??= (async () => {
      const D = index.numDocs;
      const out: DescriptionEvidence = { labels: new Int32Array(D * TOP_LABELS).fill(-1), evidence: new Float64Array(D * TOP_LABELS), matched: new Int32Array(D * TOP_LABELS) };
      const scratch = new Float64Array(D);
      let n = 0;
      for (const labelId of index.labelIds()) {
        const seeds = descriptionSeeds(index, cached, labelId);
        index.cover(seeds, null, MIN_COVERAGE, scratch, (d, coverage, weight, matched) => {
          const ev = coverage * weight;
          const base = d * TOP_LABELS;
          let slot = -1;
          for (let k = 0; k < TOP_LABELS; k++) if (out.labels[base + k] === -1 || out.evidence[base + k]! < ev) { slot = k; break; }
          if (slot < 0) return;
          for (let k = TOP_LABELS - 1; k > slot; k--) {
            out.labels[base + k] = out.labels[base + k - 1]!;
            out.evidence[base + k] = out.evidence[base + k - 1]!;
            out.matched[base + k] = out.matched[base + k - 1]!;
          }
          out.labels[base + slot] = labelId;
          out.evidence[base + slot] = ev;
          out.matched[base + slot] = matched;
        });
        if (++n % 4000 === 0) await yieldToEventLoop();
      }
      return out;
    })());

  const matchedWords = (index: KeywordIndex, seeds: readonly Seed[], matched: number): string =>
    seeds
      .filter((_, i) => matched & (1 << i))
      .map((x) => index.word(x.token))
      .join(', ');

  async function rareFirst(store: ProjectStore, repo: QueueRepo, ids: number[]): Promise<Ranked & { labels: number }> {
    const { cached, index } = indexOf(store, repo);
    const idx = await index;
    const evidence = await descriptionEvidence(idx, cached);
    const candidates = mask(idx, ids);
    const train = training(idx, repo);
    const trainCount = (labelId: number): number => train.positives.get(labelId)?.length ?? 0;
    // Zero-shot labels count fully; a label with n examples by 1 / (1 + n/4) (0.44 at n = 5).
    const rarity = (n: number): number => 1 / (1 + 0.25 * n);
    const best = new Float64Array(idx.numDocs);
    const reason: (string | null)[] = new Array<string | null>(idx.numDocs).fill(null);
    const why = (labelId: number, seeds: readonly Seed[], matched: number): string =>
      `${idx.code(labelId)} (${plural(trainCount(labelId), 'train doc')}): ${matchedWords(idx, seeds, matched)}`;
    for (let d = 0; d < idx.numDocs; d++) {
      if (!candidates[d]) continue;
      for (let k = 0; k < TOP_LABELS; k++) {
        const labelId = evidence.labels[d * TOP_LABELS + k]!;
        if (labelId < 0) break;
        const n = trainCount(labelId);
        if (n > RARE_MAX_TRAIN_DOCS) continue;
        const score = evidence.evidence[d * TOP_LABELS + k]! * rarity(n);
        if (score > best[d]!) {
          best[d] = score;
          reason[d] = why(labelId, descriptionSeeds(idx, cached, labelId), evidence.matched[d * TOP_LABELS + k]!);
        }
      }
    }
    // Few-shot labels (1–5 examples) also have MIG tokens, as a second seed set weighted by
    // α = n / (n + 2) (the description-grade blend): few enough to score on every request.
    const scratch = new Float64Array(idx.numDocs);
    let fewShot = 0;
    for (const [labelId, positives] of train.positives) {
      const n = positives.length;
      if (n > RARE_MAX_TRAIN_DOCS || !idx.code(labelId)) continue;
      fewShot++;
      const seeds = migSeeds(idx, cached, labelId, positives, train, MIG_SEEDS);
      const weight = (n / (n + 2)) * rarity(n);
      idx.cover(seeds, candidates, MIN_COVERAGE, scratch, (d, coverage, matchedWeight, matched) => {
        const score = coverage * matchedWeight * weight;
        if (score > best[d]!) {
          best[d] = score;
          reason[d] = why(labelId, seeds, matched);
        }
      });
    }
    const order = ids
      .map((id) => idx.docIndex(id))
      .filter((d): d is number => d !== undefined && best[d]! > 0)
      .sort((a, b) => best[b]! - best[a]! || a - b);
    let zeroShot = 0;
    for (const labelId of idx.labelIds()) if (trainCount(labelId) === 0) zeroShot++;
    return { ids: order.map((d) => idx.docIds[d]!), scores: order.map((d) => best[d]!), reasons: order.map((d) => reason[d]!), labels: zeroShot + fewShot };
  }

  async function byLabel(store: ProjectStore, repo: QueueRepo, ids: number[], labelId: number): Promise<Ranked & { seeds: string }> {
    const label = repo.label(labelId);
    if (!label) throw new PlanterError('not-found', `no label ${labelId}`);
    const { cached, index } = indexOf(store, repo);
    const idx = await index;
    const train = training(idx, repo);
    // Description and MIG tokens in one list; a token in both counts once, at its larger weight.
    const merged = new Map<number, number>();
    const positives = train.positives.get(labelId) ?? [];
    for (const x of [...idx.descriptionSeeds(labelId, 5), ...(positives.length ? migSeeds(idx, cached, labelId, positives, train, 8) : [])]) {
      merged.set(x.token, Math.max(merged.get(x.token) ?? 0, x.weight));
    }
    const seeds = [...merged].map(([token, weight]) => ({ token, weight })).sort((a, b) => b.weight - a.weight || a.token - b.token);
    const candidates = mask(idx, ids);
    const found: { d: number; evidence: number; matched: number }[] = [];
    idx.cover(seeds, candidates, 0, new Float64Array(idx.numDocs), (d, coverage, weight, matched) => found.push({ d, evidence: coverage * weight, matched }));
    found.sort((a, b) => b.evidence - a.evidence || a.d - b.d);
    return {
      ids: found.map((f) => idx.docIds[f.d]!),
      scores: found.map((f) => f.evidence),
      reasons: found.map((f) => `${label.code}: ${matchedWords(idx, seeds, f.matched)}`),
      seeds: seeds.map((x) => idx.word(x.token)).join(', '),
    };
  }

  async function similar(store: ProjectStore, repo: QueueRepo, ids: number[], docId: number): Promise<Ranked> {
    const { index } = indexOf(store, repo);
    const idx = await index;
    const d = idx.docIndex(docId);
    if (d === undefined) throw new PlanterError('not-found', `no document ${docId}`);
    const hits = idx.similar(d, mask(idx, ids));
    return {
      ids: hits.map((h) => idx.docIds[h.doc]!),
      scores: hits.map((h) => h.score),
      reasons: hits.map((h) => `shared words: ${h.shared.map((t) => idx.word(t)).join(', ')}`),
    };
  }

  /** Rare-first by the model: each document's best score among labels with ≤ 5 examples, × rarity. */
  function rareByModel(m: ModelScores, ids: number[], trainCount: (labelId: number) => number): Ranked {
    const scored = ids.flatMap((id) => {
      const row = m.byDoc.get(id);
      if (!row) return [];
      let best = 0;
      let label = -1;
      for (let l = 0; l < row.length; l++) {
        const labelId = m.labelIds[l];
        if (labelId === null || labelId === undefined) continue;
        const n = trainCount(labelId);
        if (n > RARE_MAX_TRAIN_DOCS) continue;
        const v = row[l]! / (1 + 0.25 * n);
        if (v > best) {
          best = v;
          label = l;
        }
      }
      if (label < 0) return [];
      const n = trainCount(m.labelIds[label]!);
      return [{ id, score: best, reason: `${m.codes[label]} (${plural(n, 'train doc')}): model score ${row[label]!.toFixed(2)}` }];
    });
    scored.sort((a, b) => b.score - a.score || a.id - b.id);
    return { ids: scored.map((x) => x.id), scores: scored.map((x) => x.score), reasons: scored.map((x) => x.reason) };
  }

  function byModel(m: ModelScores, ids: number[], rank: (row: Float32Array) => { score: number; reason: string } | null): Ranked {
    const scored = ids.flatMap((id) => {
      const row = m.byDoc.get(id);
      const r = row ? rank(row) : null;
      return r ? [{ id, ...r }] : [];
    });
    scored.sort((a, b) => b.score - a.score || a.id - b.id);
    return { ids: scored.map((x) => x.id), scores: scored.map((x) => x.score), reasons: scored.map((x) => x.reason) };
  }

  const scoringOf = (a: ScoresAnswer): QueueOutput['scoring'] => (a.state === 'scoring' ? { modelId: a.modelId, jobId: a.jobId, done: a.done, total: a.total } : null);
  const scoringNote = (a: ScoresAnswer): string => (a.state === 'scoring' ? ` Model #${a.modelId} is scoring ${a.total.toLocaleString('en')} documents (${Math.round((100 * a.done) / Math.max(1, a.total))}%); its scores join when it finishes.` : '');

  return {
    'queue.next': async ({ projectId, strategy, split, statuses, labelId, query, docId, seed, offset, limit }) => {
      const store = s.projects.get(projectId);
      const repo = repoOf(store);
      const scope: Scope = { split, statuses };
      const progress = repo.progress(split);
      const page = (ranked: Ranked, note: string | null, model: { modelId: number | null; scoring: QueueOutput['scoring'] } = { modelId: null, scoring: null }): QueueOutput => {
        const slice = ranked.ids.slice(offset, offset + limit);
        const items: QueueItem[] = repo.items(slice).map((item, i) => ({ ...item, score: ranked.scores[offset + i] ?? null, reason: ranked.reasons[offset + i] ?? null }));
        return { strategy, items, total: ranked.ids.length, progress, modelId: model.modelId, needsModel: false, note, scoring: model.scoring };
      };
      const modelInfo = (a: ScoresAnswer): { modelId: number | null; scoring: QueueOutput['scoring'] } => ({
        modelId: a.state === 'ready' ? a.scores.modelId : null,
        scoring: scoringOf(a),
      });
      const plain = (ids: number[]): Ranked => ({ ids, scores: ids.map(() => null), reasons: ids.map(() => null) });
      switch (strategy) {
        case 'sequential':
          return page(plain(repo.ids(scope)), null);
        case 'random': {
          const ids = repo.ids(scope);
          const key = new Map(ids.map((id) => [id, mix32(id ^ mix32(seed))]));
          return page(plain(ids.sort((a, b) => key.get(a)! - key.get(b)! || a - b)), `shuffled with seed ${seed}`);
        }
        case 'search': {
          if (!query?.trim()) throw new PlanterError('invalid-input', 'queue.next: the search order needs a query', { field: 'query' });
          const hits = repo.search(query, scope);
          return page({ ids: hits.map((h) => h.id), scores: hits.map((h) => -h.rank), reasons: hits.map((h) => h.excerpt.replace(/\s+/g, ' ')) }, `best text matches for “${query.trim()}”`);
        }
        case 'rare-first': {
          const ids = repo.ids(scope);
          const keywords = await rareFirst(store, repo, ids);
          const note = `Keyword evidence for ${keywords.labels.toLocaleString('en')} labels with ≤ ${RARE_MAX_TRAIN_DOCS} training documents (their descriptions and MIG tokens)`;
          const answer = await modelScores.get(projectId, store, ids);
          if (answer.state !== 'ready') return page(keywords, `${note}.${scoringNote(answer)}`, modelInfo(answer));
          const counts = repo.trainingPositives();
          const ranked = fuse(keywords, rareByModel(answer.scores, ids, (labelId) => counts.get(labelId)?.length ?? 0));
          return page(ranked, `${note}, and model #${answer.scores.modelId}'s scores for those labels × their rarity.`, modelInfo(answer));
        }
        case 'by-label': {
          if (labelId === undefined) throw new PlanterError('invalid-input', 'queue.next: the by-label order needs a labelId', { field: 'labelId' });
          const ids = repo.ids(scope);
          const keywords = await byLabel(store, repo, ids, labelId);
          const keywordNote = keywords.seeds ? `documents with the label's keywords: ${keywords.seeds}` : 'this label has no usable keywords yet';
          const answer = await modelScores.get(projectId, store, ids);
          const l = answer.state === 'ready' ? answer.scores.labelIds.indexOf(labelId) : -1;
          if (answer.state !== 'ready' || l < 0) {
            const why = answer.state === 'ready' ? ` (model #${answer.scores.modelId} does not know this label yet: it had no examples)` : scoringNote(answer);
            return page(keywords, `${keywordNote}${why}`, modelInfo(answer));
          }
          const m = answer.scores;
          const model = byModel(m, ids, (row) => ({ score: row[l]!, reason: `${m.codes[l]}: model score ${row[l]!.toFixed(2)}` }));
          return page(fuse(keywords, model), `model #${m.modelId}'s scores for the label, and ${keywordNote}`, modelInfo(answer));
        }
        case 'similar': {
          if (docId === undefined) throw new PlanterError('invalid-input', 'queue.next: the similar order needs a docId', { field: 'docId' });
          const ids = repo.ids(scope);
          const words = await similar(store, repo, ids, docId);
          const answer = await modelScores.get(projectId, store, [...ids, docId]);
          const source = answer.state === 'ready' ? answer.scores.byDoc.get(docId) : undefined;
          if (answer.state !== 'ready' || !source) {
            return page(words, `shared distinctive words (TF-IDF cosine).${scoringNote(answer) || ' A trained model adds its view of the documents.'}`, modelInfo(answer));
          }
          const m = answer.scores;
          const model = byModel(m, ids.filter((id) => id !== docId), (row) => ({ score: cosine(source, row), reason: `model profile ${cosine(source, row).toFixed(2)}` }));
          // Half the model's label-score profile, half shared words: each alone finds near misses the other ranks low.
          const wordsMax = Math.max(1e-12, ...words.scores.map((x) => x ?? 0));
          const wordScore = new Map(words.ids.map((id, i) => [id, { s: (words.scores[i] ?? 0) / wordsMax, r: words.reasons[i] }]));
          const blended = model.ids
            .map((id, i) => ({ id, score: 0.5 * (model.scores[i] ?? 0) + 0.5 * (wordScore.get(id)?.s ?? 0), reason: [model.reasons[i], wordScore.get(id)?.r].filter(Boolean).join('; ') }))
            .sort((a, b) => b.score - a.score || a.id - b.id);
          return page(
            { ids: blended.map((x) => x.id), scores: blended.map((x) => x.score), reasons: blended.map((x) => x.reason) },
            `documents model #${m.modelId} scores alike (its label-score profile), and shared distinctive words`,
            modelInfo(answer),
          );
        }
        case 'uncertainty': {
          const ids = repo.ids(scope);
          const answer = await modelScores.get(projectId, store, ids);
          if (answer.state === 'none') {
            return {
              strategy,
              items: [],
              total: 0,
              progress,
              modelId: null,
              needsModel: true,
              note: 'Train a model first: the uncertainty order ranks documents by how unsure the model is about them.',
              scoring: null,
            };
          }
          if (answer.state === 'scoring') return page({ ids: [], scores: [], reasons: [] }, scoringNote(answer).trim(), modelInfo(answer));
          const m = answer.scores;
          const ranked = byModel(m, ids, (row) => {
            const u = uncertainty(row, m.thresholds);
            return u.label < 0 ? null : { score: u.value, reason: `${m.codes[u.label]} at ${row[u.label]!.toFixed(2)} (threshold ${m.thresholds[u.label]!.toFixed(2)})` };
          });
          return page(ranked, `labels scored nearest model #${m.modelId}'s threshold first`, modelInfo(answer));
        }
      }
    },
  };
}
