import type { PlantSettings } from '../../../shared/contract';
import { encodeTokens } from '../text/encode';
import { DEFAULT_TOKENIZER_SETTINGS, tokenize } from '../text/tokenizer';
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
 * Stage "tokenize": the vocabulary comes from the labelled training documents only, then every
 * document (the unlabelled pool included) is encoded with it; a word never seen in a labelled
 * document is `<unk>`. The pool still feeds Stage 0, Stage B's lists and the lexical idf, but it
 * must not add words: with the demo's 2,751 pool documents it took CodiEsp's vocabulary from
 * 5,763 to 16,203 types, and dev P@5 fell (docs/benchmarks.md, "The unlabelled pool"). Two kinds
 * of type came in. Words of a single training document (kept out by `minCount` before) became
 * the top MIG grades of the rare labels that document carries, so Stage B taught those labels to
 * look for a word no other document has; and words of the pool alone got embeddings that
 * fine-tuning never trains, so dev documents carried noise where they carried `<unk>`. With
 * this rule more pool text never changes how a labelled document is encoded.
 * Tokens are streamed twice (count, then encode) so the token strings of a large corpus are
 * never all held at once.
 */
export function buildEncodedCorpus(corpus: PlantCorpus, settings: Pick<PlantSettings, 'vocabMinCount' | 'vocabMaxSize'>, existing?: Vocabulary): EncodedCorpus {
  const labelled = (): Iterable<string[]> => ({
    *[Symbol.iterator]() {
      for (const d of corpus.train) yield tokenize(d.text, DEFAULT_TOKENIZER_SETTINGS);
    },
  });
  const vocab = existing ?? buildVocabulary(labelled(), DEFAULT_TOKENIZER_SETTINGS, { minCount: settings.vocabMinCount, maxSize: settings.vocabMaxSize });
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
