/**
 * The label-errors audit end to end, from texts to ranked flags: the same steps for the queue's
 * job (services/queue/label-audits.ts) and the measurement (bench/label-noise.ts). Tokens and the
 * vocabulary come from the training documents only (no labels involved); each fold's TF-IDF and
 * models from the other folds (out-of-fold.ts); the thresholds and flags from suspicion.ts, with
 * each gold label's title checked against its document's words (title-evidence.ts).
 */
import type { DescribedLabel } from '../lexical/descriptions';
import { encodeTokens } from '../plant/text/encode';
import { DEFAULT_TOKENIZER_SETTINGS, tokenize } from '../plant/text/tokenizer';
import { buildVocabulary } from '../plant/text/vocabulary';
import { OofCancelled, outOfFold, type OofHooks, type OofOptions } from './out-of-fold';
import { flagPairs, labelThresholds, rankDocuments, type Flag, type OofDoc, type Thresholds } from './suspicion';
import { labelStems, stemSet, titleMatch, type TitleMatch } from './title-evidence';

export interface AuditInput {
  texts: readonly string[];
  /** [docs] gold labels, dense indices into `labels`. */
  docLabels: readonly ArrayLike<number>[];
  labels: readonly DescribedLabel[];
}

export interface Audit {
  /** The title witness of any (document, label) pair (cached per label). */
  titles: (doc: number, label: number) => TitleMatch;
  /** The out-of-fold scores the flags come from (the bench re-ranks them to measure each witness). */
  oof: OofDoc[];
  thresholds: Thresholds;
  /** Every flagged pair, most suspicious first (`doc` indexes `texts`). */
  flags: Flag[];
  /** Flagged documents, most suspicious first. */
  documents: ReturnType<typeof rankDocuments>;
}

const TOKENISE_SLICE = 200;
/** As the training pipeline's vocabulary (PlantSettings vocabMinCount, vocabMaxSize). */
const VOCAB = { minCount: 2, maxSize: 50_000 };

export async function auditLabels(input: AuditInput, options: Partial<OofOptions> = {}, hooks: OofHooks = {}): Promise<Audit> {
  const tokens: string[][] = [];
  for (let i = 0; i < input.texts.length; i++) {
    tokens.push(tokenize(input.texts[i]!, DEFAULT_TOKENIZER_SETTINGS));
    if (i % TOKENISE_SLICE === TOKENISE_SLICE - 1) {
      if (hooks.signal?.aborted) throw new OofCancelled();
      await new Promise((r) => setImmediate(r));
    }
  }
  const vocab = buildVocabulary(tokens, DEFAULT_TOKENIZER_SETTINGS, VOCAB);
  const oof = await outOfFold({ vocab, docs: tokens.map((t) => encodeTokens(t, vocab)), docLabels: input.docLabels, labels: input.labels }, options, hooks);
  const thresholds = labelThresholds(oof, input.labels.length);
  const docStems = input.texts.map(stemSet);
  const titleStems = new Map<number, Set<string>>();
  const titles = (doc: number, label: number): TitleMatch => {
    let stems = titleStems.get(label);
    if (!stems) titleStems.set(label, (stems = labelStems(input.labels[label]!)));
    return titleMatch(stems, docStems[doc]!);
  };
  const flags = flagPairs(oof, thresholds, { titles });
  return { oof, titles, thresholds, flags, documents: rankDocuments(flags) };
}
