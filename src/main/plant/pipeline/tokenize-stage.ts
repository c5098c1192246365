import type { PlantSettings } from '../../../shared/contract';
import { encodeTokens } from '../text/encode';
import { DEFAULT_TOKENIZER_SETTINGS, tokenize, type TokenizerSettings } from '../text/tokenizer';
import { buildVocabulary, Vocabulary } from '../text/vocabulary';
import type { PlantCorpus } from './corpus';

export interface EncodedCorpus {
  vocab: Vocabulary;
  /** Token ids of whole documents (no truncation; chunking happens where scores are needed). */
  train: Int32Array[];
  unlabelled: Int32Array[];
  tuning: Int32Array[];
  evaluation: Int32Array[];
}

/**
 * Stage "tokenize": the vocabulary comes from the training pool (labelled train documents and the
 * unlabelled pool, never dev/test), then every document is encoded. Tokens are streamed twice
 * (count, then encode) so the token strings of a large corpus are never all held at once.
 */
export function buildEncodedCorpus(corpus: PlantCorpus, settings: Pick<PlantSettings, 'vocabMinCount' | 'vocabMaxSize' | 'numbers'>, existing?: Vocabulary): EncodedCorpus {
  const tokenizer: TokenizerSettings = { ...DEFAULT_TOKENIZER_SETTINGS, numbers: settings.numbers };
  const pool = (): Iterable<string[]> => ({
    *[Symbol.iterator]() {
      for (const d of corpus.train) yield tokenize(d.text, tokenizer);
      for (const t of corpus.unlabelled) yield tokenize(t, tokenizer);
    },
  });
  const vocab = existing ?? buildVocabulary(pool(), tokenizer, { minCount: settings.vocabMinCount, maxSize: settings.vocabMaxSize });
  const enc = (text: string): Int32Array => encodeTokens(tokenize(text, vocab.tokenizer), vocab);
  return {
    vocab,
    train: corpus.train.map((d) => enc(d.text)),
    unlabelled: corpus.unlabelled.map(enc),
    tuning: corpus.tuning.map((d) => enc(d.text)),
    evaluation: corpus.evaluation.map((d) => enc(d.text)),
  };
}

/** First `maxLen` tokens (training truncates; scoring uses every chunk and takes the max). */
export function truncate(ids: Int32Array, maxLen: number): Int32Array {
  return ids.length > maxLen ? ids.subarray(0, maxLen) : ids;
}

export { Vocabulary };
