/**
 * How coders write, mapped to the words of the ICD-10-CM catalogue: common clinical abbreviations
 * ("T2DM", "CHF") and everyday or clinical phrasings the tables do not use ("heart attack",
 * "ventricular hypertrophy"). Shipped with Planter, never downloaded; docs/picker.md lists them and
 * says how to add one. Each right-hand side is written in the catalogue's own words, so that every
 * word of it prefix-matches a title (a test checks each against the shipped ICD-10-CM tables).
 *
 * Sources of the mappings: the ICD-10-CM 2018 alphabetic index's "see" entries (Attack, heart →
 * Infarct, myocardium; Hypertrophy, ventricular → Hypertrophy, cardiac → I51.7 Cardiomegaly) and
 * the abbreviations in everyday use in clinical notes. An abbreviation that is also an English
 * word ("all", "as", "it") is left out: typing the word would bring up the disease.
 */
export const CLINICAL_TERMS: readonly (readonly [written: string, catalogueWords: string])[] = [
  // Heart and vessels
  ['MI', 'myocardial infarction'],
  ['AMI', 'acute myocardial infarction'],
  ['heart attack', 'myocardial infarction'],
  ['STEMI', 'ST elevation myocardial infarction'],
  ['NSTEMI', 'non-ST elevation myocardial infarction'],
  ['CHF', 'heart failure'],
  ['CCF', 'heart failure'],
  ['HF', 'heart failure'],
  ['HTN', 'hypertension'],
  ['high blood pressure', 'hypertension'],
  ['AF', 'atrial fibrillation'],
  ['AFib', 'atrial fibrillation'],
  ['CAD', 'atherosclerotic heart disease'],
  ['CHD', 'atherosclerotic heart disease'],
  ['IHD', 'ischemic heart disease'],
  ['ventricular hypertrophy', 'cardiomegaly'],
  ['cardiac hypertrophy', 'cardiomegaly'],
  ['LVH', 'cardiomegaly'],
  ['DVT', 'thrombosis deep vein'],
  ['PE', 'pulmonary embolism'],
  ['PAD', 'peripheral vascular disease'],
  ['PVD', 'peripheral vascular disease'],
  ['AAA', 'abdominal aortic aneurysm'],
  ['SVT', 'supraventricular tachycardia'],
  ['VT', 'ventricular tachycardia'],
  ['LBBB', 'left bundle branch block'],
  ['RBBB', 'right bundle branch block'],
  ['TIA', 'transient cerebral ischemic attack'],
  ['CVA', 'cerebral infarction'],
  ['stroke', 'cerebral infarction'],
  // Endocrine and metabolism
  ['DM', 'diabetes mellitus'],
  ['T1DM', 'type 1 diabetes mellitus'],
  ['T1D', 'type 1 diabetes mellitus'],
  ['IDDM', 'type 1 diabetes mellitus'],
  ['T2DM', 'type 2 diabetes mellitus'],
  ['T2D', 'type 2 diabetes mellitus'],
  ['NIDDM', 'type 2 diabetes mellitus'],
  ['DKA', 'diabetes mellitus ketoacidosis'],
  ['dyslipidemia', 'hyperlipidemia'],
  ['high cholesterol', 'hypercholesterolemia'],
  // Lungs
  ['COPD', 'chronic obstructive pulmonary disease'],
  ['OSA', 'obstructive sleep apnea'],
  ['ARDS', 'acute respiratory distress syndrome'],
  ['URI', 'acute upper respiratory infection'],
  ['URTI', 'acute upper respiratory infection'],
  ['TB', 'tuberculosis'],
  ['SOB', 'shortness of breath'],
  // Kidneys and urinary tract
  ['CKD', 'chronic kidney disease'],
  ['AKI', 'acute kidney failure'],
  ['ARF', 'acute kidney failure'],
  ['ESRD', 'end stage renal disease'],
  ['UTI', 'urinary tract infection'],
  ['BPH', 'benign prostatic hyperplasia'],
  ['kidney stone', 'calculus of kidney'],
  // Digestive system
  ['GERD', 'gastro-esophageal reflux disease'],
  ['GORD', 'gastro-esophageal reflux disease'],
  ['IBS', 'irritable bowel syndrome'],
  ['GI bleed', 'gastrointestinal hemorrhage'],
  ['HCV', 'hepatitis C'],
  ['HBV', 'hepatitis B'],
  // Nervous system and mind
  ['MS', 'multiple sclerosis'],
  ['TBI', 'intracranial injury'],
  ['ADHD', 'attention-deficit hyperactivity disorder'],
  ['PTSD', 'post-traumatic stress disorder'],
  ['MDD', 'major depressive disorder'],
  ['GAD', 'generalized anxiety disorder'],
  ['OCD', 'obsessive-compulsive disorder'],
  // Joints, connective tissue
  ['RA', 'rheumatoid arthritis'],
  ['OA', 'osteoarthritis'],
  ['SLE', 'systemic lupus erythematosus'],
  ['LBP', 'low back pain'],
  // Blood and cancers
  ['IDA', 'iron deficiency anemia'],
  ['CLL', 'chronic lymphocytic leukemia'],
  ['CML', 'chronic myeloid leukemia'],
  ['AML', 'acute myeloid leukemia'],
  ['NHL', 'non-Hodgkin lymphoma'],
  ['SCC', 'squamous cell carcinoma'],
  ['BCC', 'basal cell carcinoma'],
  // Infections, women's health, ears
  ['HIV', 'human immunodeficiency virus'],
  ['MRSA', 'methicillin resistant staphylococcus aureus'],
  ['C diff', 'clostridium difficile'],
  ['PCOS', 'polycystic ovarian syndrome'],
  ['PID', 'pelvic inflammatory disease'],
  ['BPPV', 'benign paroxysmal vertigo'],
  ['OM', 'otitis media'],
];

/** What the picker does with one entry: the written words and the catalogue words, folded. */
export interface TermRewrite {
  written: string[];
  catalogue: string[];
  /** As listed, for the picker to say what it understood ("T2DM → type 2 diabetes mellitus"). */
  label: string;
}

/**
 * Every way `terms` (a query's folded words, in order) can be read with the list: each entry whose
 * written words occur in it as a run of whole words gives the query with that run replaced by the
 * catalogue words. At most `limit` readings, longest runs first ("heart attack" before "HF").
 */
export function rewrites(terms: readonly string[], table: readonly TermRewrite[], limit = 3): { terms: string[]; rewrite: TermRewrite }[] {
  const out: { terms: string[]; rewrite: TermRewrite; run: number }[] = [];
  for (const r of table) {
    const w = r.written;
    for (let at = 0; at + w.length <= terms.length; at++) {
      let same = true;
      for (let k = 0; k < w.length && same; k++) same = terms[at + k] === w[k];
      if (!same) continue;
      out.push({ terms: [...new Set([...terms.slice(0, at), ...r.catalogue, ...terms.slice(at + w.length)])], rewrite: r, run: w.length });
      break;
    }
  }
  return out
    .sort((a, b) => b.run - a.run)
    .slice(0, limit)
    .map(({ terms: t, rewrite }) => ({ terms: t, rewrite }));
}

/** The shipped list, folded with `fold` and split into words the way the index splits titles. */
export function rewriteTable(words: (text: string) => string[]): TermRewrite[] {
  return CLINICAL_TERMS.map(([written, catalogue]) => ({ written: words(written), catalogue: words(catalogue), label: `${written} → ${catalogue}` }));
}
