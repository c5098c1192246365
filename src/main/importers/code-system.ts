import type { CatalogueFormat } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { Db } from '../store/db';
import { LabelsRepo } from '../store/labels-repo';
import type { CatalogueRecord } from './records';

/**
 * The code system of a catalogue, so that one of another system is not merged into a project
 * silently (issue #14: an ICD-9-CM table added 17,686 codes to an ICD-10-CM project and renamed
 * its chapters). `custom`: codes that follow no known system (a project's own CSV list).
 */
export type CodeSystem = 'icd10cm' | 'icd9cm' | 'icd10pcs' | 'eurovoc' | 'custom';

export const CODE_SYSTEM_NAMES: Record<CodeSystem, string> = { icd10cm: 'ICD-10-CM', icd9cm: 'ICD-9-CM', icd10pcs: 'ICD-10-PCS', eurovoc: 'EUROVOC', custom: 'custom codes' };

const PATTERNS: [CodeSystem, RegExp][] = [
  // 001–999 with up to two decimals, V01–V91, E800–E999 with one.
  ['icd9cm', /^(\d{3}(\.\d{1,2})?|V\d{2}(\.\d{1,2})?|E\d{3}(\.\d)?)$/],
  // A letter, a digit, a digit or letter, then up to four characters after the dot.
  ['icd10cm', /^[A-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/],
  // Seven characters of digits and letters except I and O (three for a table header).
  ['icd10pcs', /^[0-9A-HJ-NP-Z]{3}([0-9A-HJ-NP-Z]{4})?$/],
];

/** The system nine in ten of `codes` follow (codes only: chapters and blocks are Planter's), or custom; null without codes. */
export function codeSystemOf(codes: readonly string[]): CodeSystem | null {
  if (codes.length === 0) return null;
  for (const [system, pattern] of PATTERNS) {
    let hits = 0;
    for (const c of codes) if (pattern.test(c)) hits++;
    if (hits >= 0.9 * codes.length) return system;
  }
  return 'custom';
}

/** The system of a catalogue file: by its format where that says it, else by its codes. */
export function catalogueSystem(format: CatalogueFormat, codes: readonly string[]): CodeSystem | null {
  if (format === 'eurovoc-json') return 'eurovoc';
  return codeSystemOf(codes);
}

/**
 * An ICD-9-CM table imported into an ICD-10-CM project added 17,686 codes and renamed 44 labels
 * without a word (issue #14): a catalogue of another code system than the project's is refused,
 * saying what it would do, unless the import is forced.
 */
export function refuseOtherCodeSystem(db: Db, format: CatalogueFormat, entries: readonly CatalogueRecord[], file: string): void {
  const incoming = catalogueSystem(format, entries.filter((e) => e.kind === 'code').map((e) => e.code));
  const labels = new LabelsRepo(db);
  const project = projectCodeSystem(labels);
  if (!incoming || !project || incoming === project) return;
  let added = 0;
  let renamed = 0;
  for (const e of entries) {
    const row = labels.titleByCode(e.code);
    if (!row) added++;
    else if (!row.flagged && row.title !== '' && row.title !== e.title) renamed++;
  }
  throw new PlanterError(
    'conflict',
    `${file} holds ${CODE_SYSTEM_NAMES[incoming]} but this project's catalogue is ${CODE_SYSTEM_NAMES[project]}: importing it would add ${added.toLocaleString('en')} labels and change ${renamed.toLocaleString('en')} titles. Nothing was imported; to mix the two, import it again with force`,
    { file },
  );
}

/** The project's code system, from its catalogue labels (not the flagged ones documents brought); null when it has none. */
function projectCodeSystem(labels: LabelsRepo): CodeSystem | null {
  const rows = labels.catalogueCodeSample(5000);
  if (rows.length === 0) return null;
  if (rows.filter((r) => r.catalogue === 'eurovoc-json').length >= 0.9 * rows.length) return 'eurovoc';
  return codeSystemOf(rows.map((r) => r.code));
}
