import type { QueueItem, QueueOutput } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { Handlers } from '../core/handlers';
import { ModelsRepo } from '../store/models-repo';
import type { ProjectStore } from '../store/project-store';
import { QueueRepo, type Scope } from '../store/queue-repo';
import type { ServiceContext } from './context';
import { ByLabelKeywords, RandomRanker, RareFirstKeywords, rareLabelsNote, SearchRanker, SimilarKeywords } from './queue/keyword-rankers';
import type { RunningBuild } from './queue/keyword-builds';
import { ByLabelModel, JoinedRanker, RareByModel, SimilarModel, UncertaintyRanker } from './queue/model-rankers';
import type { Ranker, Shown } from './queue/ranker';
import { RankingCache, type OrderStamp } from './queue/ranking-cache';
import { indexingNote, labelErrorsGrow, labelErrorsNote, rerankingNote, scoringNote } from './queue/reasons';
import { LabelAudits } from './queue/label-audits';
import { LabelErrorRanker } from './queue/label-error-ranker';
import { LabelAuditRepo } from '../store/label-audit-repo';
import { QueueModelScores, type ScoresAnswer } from './queue-model';

export { RARE_MAX_TRAIN_DOCS } from './queue/ranking';

/** The first rare-first page waits this long for the keyword index, then shows what it has. */
const FIRST_PAGE_WAIT_MS = 1500;
/**
 * …and is content with this many documents indexed, or with what was indexed this long after the
 * seeds were ready (the rest fills in while the coder works; preparing the seeds of a 94,000-label
 * catalogue takes most of the wait on a cold process).
 */
const FIRST_PAGE_DOCS = 25_000;
const FIRST_PAGE_MORE_DOCS_MS = 100;
/** by-label and similar need the whole index; they wait this long for it before saying so. */
const INDEX_WAIT_MS = 1500;
/**
 * A better order than the kept one (the index completed, the model's scores came in) is waited
 * for this long on a first page, and this long on a later one, before the kept order answers and
 * the new one follows with a `queue.reordered` event (7 s to rank 250,000 documents again).
 */
const FIRST_PAGE_RERANK_WAIT_MS = 500;
const LATER_PAGE_RERANK_WAIT_MS = 30;

interface Meta {
  note: string;
  modelId: number | null;
  scoring: QueueOutput['scoring'];
}

type Strategy = QueueOutput['strategy'];
type NextInput = Parameters<Handlers['queue.next']>[0];
const usesIndex = (s: Strategy): boolean => s === 'rare-first' || s === 'by-label' || s === 'similar';
const usesModel = (s: Strategy): boolean => s === 'rare-first' || s === 'by-label' || s === 'similar' || s === 'uncertainty';

/** The documents an order needs the model's scores of: its scope, and `similar`'s anchor document. */
async function scoredDocs(repo: QueueRepo, scope: Scope, input: NextInput): Promise<number[]> {
  const ids = await repo.idsInSlices(scope);
  if (input.strategy === 'similar') ids.push(input.docId!);
  return ids;
}

const scoringOf = (a: ScoresAnswer): QueueOutput['scoring'] => (a.state === 'scoring' ? { modelId: a.modelId, jobId: a.jobId, done: a.done, total: a.total } : null);
const noteOf = (a: ScoresAnswer): string => (a.state === 'scoring' ? scoringNote(a.modelId, a.done, a.total) : '');

/**
 * The annotation queue: which documents to annotate next, by strategy. A thin handler over the
 * pieces in services/queue/: rankers (what each order scores), the ranking cache (pages come from
 * the kept order, annotation writes move single documents), the keyword index (built in the
 * background; the first rare-first page shows what it has) and the model's scores. Model-free
 * orders work from the first minute; `uncertainty` says it needs a model.
 */
export function queueHandlers(s: ServiceContext): Pick<Handlers, 'queue.next'> {
  const models = new QueueModelScores(s);
  const builds = s.keywords;
  const cache = new RankingCache<Meta>();
  const audits = new LabelAudits(s.jobs, s.spawnLexicalWorker);
  const repos = new WeakMap<ProjectStore, QueueRepo>();
  const repoOf = (store: ProjectStore): QueueRepo => {
    let repo = repos.get(store);
    if (!repo) repos.set(store, (repo = new QueueRepo(store.db)));
    return repo;
  };

  /** Makes the ranker of one order (keyword side, joined with the model's when its scores are in). */
  async function makeRanker(input: NextInput, store: ProjectStore, repo: QueueRepo, scope: Scope, running: RunningBuild | null, modelId: number | null): Promise<{ ranker: Ranker; meta: Meta }> {
    const { projectId, strategy } = input;
    const answer: ScoresAnswer = modelId !== null && usesModel(strategy) ? await models.get(projectId, store, await scoredDocs(repo, scope, input)) : { state: 'none' };
    const m = answer.state === 'ready' ? answer.scores : null;
    const meta = (note: string, ranker: Ranker, withModel: boolean): { ranker: Ranker; meta: Meta } => ({ ranker, meta: { note, modelId: withModel && m ? m.modelId : answer.state === 'scoring' ? null : (m?.modelId ?? null), scoring: scoringOf(answer) } });
    const build = running?.build;
    switch (strategy) {
      case 'random':
        return meta(`shuffled with seed ${input.seed}`, new RandomRanker(repo, scope, input.seed), false);
      case 'search':
        return meta(`best text matches for “${input.query!.trim()}”`, new SearchRanker(repo, scope, input.query!), false);
      case 'rare-first': {
        const keywords = await RareFirstKeywords.create(repo, build!, scope);
        const note = rareLabelsNote(keywords.labelsUsed, keywords.withMig);
        if (!m) return meta(`${note}.${noteOf(answer)}`, keywords, false);
        return meta(`${note}, and model #${m.modelId}'s scores for those labels × their rarity.`, new JoinedRanker(keywords, new RareByModel(repo, scope, m), 'fused'), true);
      }
      case 'by-label': {
        const keywords = new ByLabelKeywords(repo, build!, scope, input.labelId!);
        const keywordNote = keywords.seeds.length ? `documents with the label's keywords: ${keywords.seedWords}` : 'this label has no usable keywords yet';
        const l = m ? m.labelIds.indexOf(input.labelId!) : -1;
        if (!m || l < 0) return meta(`${keywordNote}${m ? ` (model #${m.modelId} does not know this label yet: it had no examples)` : noteOf(answer)}`, keywords, false);
        return meta(`model #${m.modelId}'s scores for the label, and ${keywordNote}`, new JoinedRanker(keywords, new ByLabelModel(repo, scope, m, l), 'fused'), true);
      }
      case 'similar': {
        const words = new SimilarKeywords(repo, build!, scope, input.docId!);
        if (!m || !m.byDoc.has(input.docId!)) return meta(`shared distinctive words (TF-IDF cosine).${noteOf(answer) || ' A trained model adds its view of the documents.'}`, words, false);
        // Half the model's label-score profile, half shared words: each alone finds near misses the other ranks low.
        return meta(`documents model #${m.modelId} scores alike (its label-score profile), and shared distinctive words`, new JoinedRanker(words, new SimilarModel(repo, scope, m, input.docId!), 'blended'), true);
      }
      case 'uncertainty':
        return meta(`labels scored nearest model #${m!.modelId}'s threshold first`, new UncertaintyRanker(repo, scope, m!), true);
      case 'label-errors': {
        const audit = audits.latest(store)!;
        return meta(labelErrorsNote(audit.folds, audit.documents), new LabelErrorRanker(repo, scope, audit), false);
      }
      case 'sequential':
        throw new Error('sequential pages are read straight from the store');
    }
  }

  return {
    'queue.next': async (input) => {
      const { projectId, strategy, split, statuses, labelId, query, docId, seed, offset, limit } = input;
      const store = s.projects.get(projectId);
      const repo = repoOf(store);
      const scope: Scope = { split, statuses };
      const progress = repo.progress(split);
      const scopeSize = repo.scopeCount(scope);
      const answer = (fields: Partial<QueueOutput> & Pick<QueueOutput, 'items' | 'total' | 'note'>): QueueOutput => ({ strategy, progress, scope: scopeSize, modelId: null, needsModel: false, scoring: null, indexing: null, ...fields });
      const withItems = (ids: readonly number[], shown: readonly Shown[]): QueueItem[] => {
        const at = new Map(ids.map((id, i) => [id, shown[i]!]));
        return repo.items(ids).map((item) => ({ ...item, ...(at.get(item.docId) ?? { score: null, reason: null }) }));
      };

      if (strategy === 'search' && !query?.trim()) throw new PlanterError('invalid-input', 'queue.next: the search order needs a query', { field: 'query' });
      if (strategy === 'by-label' && labelId === undefined) throw new PlanterError('invalid-input', 'queue.next: the by-label order needs a labelId', { field: 'labelId' });
      if (strategy === 'similar' && docId === undefined) throw new PlanterError('invalid-input', 'queue.next: the similar order needs a docId', { field: 'docId' });
      if (strategy === 'sequential') {
        const ids = repo.scopePage(scope, offset, limit);
        return answer({ items: withItems(ids, ids.map(() => ({ score: null, reason: null }))), total: scopeSize, note: null });
      }
      const modelId = new ModelsRepo(store.db).currentId();
      if (strategy === 'uncertainty') {
        const none = 'Train a model first: the uncertainty order ranks documents by how unsure the model is about them.';
        if (modelId === null) return answer({ items: [], total: 0, needsModel: true, note: none });
        if (models.state(store, modelId) !== 'ready') {
          // While the job scores, say how far it is without reading the scope's ids (120 ms at 187,000).
          const scored = models.scoring(store, modelId) ?? (await models.get(projectId, store, await repo.idsInSlices(scope)));
          if (scored.state === 'none') return answer({ items: [], total: 0, needsModel: true, note: none });
          if (scored.state === 'scoring') return answer({ items: [], total: 0, note: noteOf(scored).trim(), scoring: scoringOf(scored) });
        }
      }

      const version = repo.corpusVersion();
      let auditing: QueueOutput['auditing'] = null;
      let auditSerial = 0;
      if (strategy === 'label-errors') {
        const audit = audits.get(projectId, store, new LabelAuditRepo(store.db), `${version}|${repo.changeSeq()}`);
        if (audit.state === 'too-few') return answer({ items: [], total: 0, note: `Likely label errors need at least ${audit.folds * 2} training documents (${audit.folds}-fold out-of-fold predictions); this project has ${audit.documents}.` });
        if (audit.state === 'running') auditing = { jobId: audit.jobId, done: audit.done, total: audit.total };
        if (!audit.result) return answer({ items: [], total: 0, note: 'Finding likely label errors: the lexical ranker predicts every training document from the other folds (5-fold); the order follows when it finishes.', auditing });
        auditSerial = audit.result.serial;
      }
      const running = usesIndex(strategy) ? builds.of(projectId, store, repo, version) : null;
      const build = running?.build;
      if (build) {
        // Only a first page waits for the index to have something (later pages keep their order).
        const enough =
          strategy === 'rare-first'
            ? () => build.complete || (build.usable && (offset > 0 || build.indexedDocs >= Math.min(build.totalDocs, FIRST_PAGE_DOCS) || performance.now() - build.usableAt! >= FIRST_PAGE_MORE_DOCS_MS))
            : () => build.complete;
        await build.until(enough, strategy === 'rare-first' ? FIRST_PAGE_WAIT_MS : INDEX_WAIT_MS);
        if (build.error) throw build.error;
        const indexing = build.complete ? null : { jobId: running!.jobId, done: build.indexedDocs, total: build.totalDocs };
        if (!build.usable || (strategy !== 'rare-first' && !build.complete)) {
          // Nothing to rank by yet: the scope in import order, so work can start, and the progress.
          const ids = strategy === 'rare-first' ? repo.scopePage(scope, offset, limit) : [];
          return answer({ items: withItems(ids, ids.map(() => ({ score: null, reason: null }))), total: strategy === 'rare-first' ? scopeSize : 0, note: `Building the keyword index of the corpus.${indexingNote(build.indexedDocs, build.totalDocs, build.phase)}`, indexing });
        }
      }
      // Until the current model's scores are in, an order is its keyword order alone: the model is
      // left out of its stamp, so a new model does not rank the kept keyword order again (5 s at
      // 250,000 documents right after a training); the request only starts the scoring or says
      // how far it is.
      if (modelId !== null && usesModel(strategy) && models.state(store, modelId) === 'none') await models.get(projectId, store, await scoredDocs(repo, scope, input));
      const modelReady = (): boolean => modelId !== null && models.state(store, modelId) === 'ready';
      const scoringNow = modelId !== null && usesModel(strategy) ? models.scoring(store, modelId) : null;
      // A finished index ranks once more; a growing one keeps the order it gave (ranking-cache.ts).
      // The corpus version is the base: an order kept for it may answer while a better one ranks.
      const stampNow = (): OrderStamp => ({ fixed: `${version}|${build?.complete ?? '-'}|${modelReady() ? modelId : '-'}|${auditSerial}`, base: version });
      const key = JSON.stringify([strategy, split, [...statuses].sort(), strategy === 'random' ? seed : 0, labelId ?? 0, query?.trim() ?? '', docId ?? 0]);
      const order = await cache.order(store, repo, key, scope, stampNow(), () => makeRanker(input, store, repo, scope, running, modelReady() ? modelId : null), stampNow, {
        staleAfterMs: offset === 0 ? FIRST_PAGE_RERANK_WAIT_MS : LATER_PAGE_RERANK_WAIT_MS,
        onFresh: () => s.events.emit('queue.reordered', { projectId, strategy }),
      });
      const reranking = order.how === 'stale';
      const page = order.list.page(offset, limit);
      const shown = order.ranker.show(page);
      const grow = build && !build.complete ? indexingNote(build.indexedDocs, build.totalDocs, build.phase) : strategy === 'label-errors' ? labelErrorsGrow(order.list.length, auditing !== null) : '';
      return answer({
        items: withItems(page.ids, shown),
        total: order.list.length,
        note: `${order.meta.note}${order.meta.scoring || !scoringNow ? '' : noteOf(scoringNow)}${grow}${reranking ? rerankingNote : ''}`,
        modelId: order.meta.modelId,
        scoring: order.meta.scoring ?? (scoringNow ? scoringOf(scoringNow) : null),
        indexing: build && !build.complete ? { jobId: running!.jobId, done: build.indexedDocs, total: build.totalDocs } : null,
        ...(strategy === 'label-errors' ? { auditing } : {}),
        ...(reranking ? { reranking } : {}),
      });
    },
  };
}
