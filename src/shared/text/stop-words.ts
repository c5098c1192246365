/**
 * English function words, and the filler words of clinical and legal prose, that carry no label
 * on their own. Used where words are shown to a person as meaning something: evidence highlights
 * ("of", "old" and "12" highlighted as evidence read as noise, issue #14) and the distinctive terms
 * of each label's documents (the label picker). The model itself never sees this list.
 *
 * Function words: articles, pronouns, auxiliaries, prepositions, conjunctions and common adverbs.
 * Filler: words of every case history ("patient", "year", "old", "day") or every act ("article",
 * "regulation" is kept: it names a kind of act).
 */
const FUNCTION_WORDS = `a about above after again against all also although am an and any are as at be because been before
being below between both but by can could did do does doing done down during each either else ever every few for from
further had has have having he her here hers herself him himself his how however i if in into is it its itself just
may me might more most much must my myself neither no nor not now of off on once only or other our ours ourselves out
over own per same she should since so some such than that the their theirs them themselves then there these they this
those though through thus to too under until up upon us very via was we were what when where whether which while who
whom whose why will with within without would yet you your yours yourself yourselves s t`;

const FILLER_WORDS = `ago aged approximately case cases day days etc week weeks month months old patient patients
presented presenting reported showed year years yo`;

const STOP_WORDS: ReadonlySet<string> = new Set(`${FUNCTION_WORDS} ${FILLER_WORDS}`.split(/\s+/).filter(Boolean));

/** True for a word (any case) that means nothing as evidence or as a search term on its own. */
export function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word.toLowerCase());
}
