import { csvRecords, headerIndex, type CsvRecord } from './csv';
import { describe } from './field-values';
import { jsonTopLevel } from './json-stream';
import { badFile, type Line } from './read-lines';
import { codeProblem, type CatalogueRecord } from './records';

function columns(header: CsvRecord, file: string, required: string[]): Map<string, number> {
  const index = headerIndex(header, file);
  for (const name of required) {
    if (!index.has(name)) throw badFile(file, header.line, `the header has no column "${name}" (found: ${[...index.keys()].join(', ')})`, name);
  }
  return index;
}

async function* rows(lines: AsyncIterable<Line>, file: string, required: string[]): AsyncGenerator<{ line: number; get: (c: string) => string }> {
  let index: Map<string, number> | null = null;
  let width = 0;
  let any = false;
  for await (const rec of csvRecords(lines, file)) {
    if (!index) {
      index = columns(rec, file, required);
      width = rec.fields.length;
      continue;
    }
    if (rec.fields.length !== width) throw badFile(file, rec.line, `has ${rec.fields.length} columns but the header has ${width}`);
    any = true;
    const fields = rec.fields;
    const idx = index;
    yield { line: rec.line, get: (c: string) => (idx.has(c) ? fields[idx.get(c)!]!.trim() : '') };
  }
  if (!index) throw badFile(file, undefined, 'is empty: no header row');
  if (!any) throw badFile(file, undefined, 'has a header but no rows');
}

function checkCode(code: string, file: string, line: number, field = 'code'): string {
  const problem = codeProblem(code);
  if (problem) throw badFile(file, line, problem, field);
  return code;
}

/**
 * ICD-10-CM (and ICD-9-CM) tables as in ../shared/data/icd-codes: chapter → block → three-character
 * category → code. Chapters and blocks become non-assignable categories with codes `CH01`… and
 * `I10-I1A` (the block's first and last category, as ICD writes block ranges). A code's parent is
 * its longest dotted prefix that exists, so A00.0's parent is A00.
 */
export async function icd10cmCatalogue(lines: AsyncIterable<Line>, file: string): Promise<CatalogueRecord[]> {
  const entries: { line: number; dotted: string; title: string; short: string; three: string; block: string; chapter: string }[] = [];
  for await (const r of rows(lines, file, ['code_dotted', 'long_desc', 'three_digit', 'sub_chapter', 'chapter'])) {
    const dotted = checkCode(r.get('code_dotted'), file, r.line, 'code_dotted');
    const title = r.get('long_desc');
    if (!title) throw badFile(file, r.line, 'is empty', 'long_desc');
    // three_digit becomes part of a block's code ("A00-B99"): it must be a usable code too.
    const three = r.get('three_digit');
    if (three) checkCode(three, file, r.line, 'three_digit');
    entries.push({ line: r.line, dotted, title, short: r.get('short_desc'), three, block: r.get('sub_chapter'), chapter: r.get('chapter') });
  }
  const chapterCodes = new Map<string, string>();
  const blocks = new Map<string, { chapter: string; first: string; last: string; line: number }>();
  for (const e of entries) {
    if (e.chapter && !chapterCodes.has(e.chapter)) chapterCodes.set(e.chapter, `CH${String(chapterCodes.size + 1).padStart(2, '0')}`);
    if (!e.block) continue;
    const b = blocks.get(e.block);
    if (!b) blocks.set(e.block, { chapter: e.chapter, first: e.three, last: e.three, line: e.line });
    else if (e.three > b.last) b.last = e.three;
  }
  const out: CatalogueRecord[] = [];
  for (const [title, code] of chapterCodes) out.push({ line: 0, code, title, synonyms: [], parentCode: null, kind: 'category' });
  const blockCode = (name: string): string => {
    const b = blocks.get(name)!;
    return b.first === b.last ? `${b.first}-` : `${b.first}-${b.last}`;
  };
  for (const [name, b] of blocks) {
    out.push({ line: b.line, code: blockCode(name), title: name, synonyms: [], parentCode: chapterCodes.get(b.chapter) ?? null, kind: 'category' });
  }
  const known = new Set(entries.map((e) => e.dotted));
  for (const e of entries) {
    let parent: string | null = null;
    if (e.dotted.length > 3) {
      for (let cut = e.dotted.length - 1; cut >= 3; cut--) {
        const prefix = e.dotted.slice(0, cut).replace(/\.$/, '');
        if (known.has(prefix) && prefix !== e.dotted) {
          parent = prefix;
          break;
        }
      }
      // ICD-9-CM E-code categories are four characters (E800): their three_digit is the code itself.
      parent ??= e.three && e.three !== e.dotted && known.has(e.three) ? e.three : null;
    }
    parent ??= e.block ? blockCode(e.block) : null;
    const synonyms = e.short && e.short !== e.title ? [e.short] : [];
    out.push({ line: e.line, code: e.dotted, title: e.title, synonyms, parentCode: parent, kind: 'code' });
  }
  return out;
}

/** ICD-10-PCS: seven-character codes under their three-character table headers (billable = 0). */
export async function icd10pcsCatalogue(lines: AsyncIterable<Line>, file: string): Promise<CatalogueRecord[]> {
  const out: CatalogueRecord[] = [];
  const headers = new Set<string>();
  for await (const r of rows(lines, file, ['code', 'long_desc'])) {
    const code = checkCode(r.get('code'), file, r.line);
    const title = r.get('long_desc');
    if (!title) throw badFile(file, r.line, 'is empty', 'long_desc');
    const short = r.get('short_desc');
    if (code.length === 3) headers.add(code);
    out.push({ line: r.line, code, title, synonyms: short && short !== title ? [short] : [], parentCode: null, kind: 'code' });
  }
  for (const rec of out) if (rec.code.length > 3 && headers.has(rec.code.slice(0, 3))) rec.parentCode = rec.code.slice(0, 3);
  return out;
}

/** EUROVOC's file is one object of concepts keyed by id: what to say when it holds something else. */
export function eurovocTopLevelProblem(value: unknown): string {
  return `expected an object of concepts keyed by id, found ${describe(value)}`;
}

/** One EUROVOC concept (`n` counts entries from 1): the field checks and their messages. */
export function eurovocConcept(key: string, raw: unknown, n: number, file: string): CatalogueRecord {
  const fail = (msg: string, field: string): never => {
    throw badFile(file, undefined, `concept "${key}" (entry ${n}): ${msg}`, field);
  };
  if (!raw || typeof raw !== 'object') fail(`expected an object, found ${describe(raw)}`, key);
  const c = raw as Record<string, unknown>;
  const code = String(c.concept_id ?? key).trim();
  if (codeProblem(code)) fail(`concept_id ${codeProblem(code)}`, 'concept_id');
  if (typeof c.label !== 'string' || !c.label.trim()) fail('"label" is missing or empty', 'label');
  const alt = c.alt_labels ?? [];
  if (!Array.isArray(alt) || alt.some((a) => typeof a !== 'string')) fail('"alt_labels" must be a list of strings', 'alt_labels');
  const parents = c.parents ?? [];
  if (!Array.isArray(parents)) fail('"parents" must be a list of ids', 'parents');
  return { line: n, code, title: (c.label as string).trim(), synonyms: (alt as string[]).map((a) => a.trim()).filter(Boolean), parentCode: (parents as unknown[]).length ? String((parents as unknown[])[0]) : null, kind: 'code' };
}

/**
 * EUROVOC concepts as distributed with EURLEX57K: `{id: {concept_id, label, alt_labels, parents}}`,
 * read a concept at a time from the file's bytes. EUROVOC is a polyhierarchy; the first parent is
 * kept as the tree parent.
 */
export async function eurovocCatalogue(chunks: AsyncIterable<Buffer>, file: string): Promise<CatalogueRecord[]> {
  const out: CatalogueRecord[] = [];
  for await (const item of jsonTopLevel(chunks, file, { expect: 'object', itemName: 'concept', wrongTop: eurovocTopLevelProblem })) out.push(eurovocConcept(item.key!, item.value, item.index, file));
  if (out.length === 0) throw badFile(file, undefined, 'is empty: no concepts');
  return out;
}

/** Generic CSV catalogue: `code` (required), `title`, `parent`, `synonyms` (separated by `;`). */
export async function labelsCsvCatalogue(lines: AsyncIterable<Line>, file: string): Promise<CatalogueRecord[]> {
  const out: CatalogueRecord[] = [];
  for await (const r of rows(lines, file, ['code'])) {
    const code = checkCode(r.get('code'), file, r.line);
    const parent = r.get('parent');
    out.push({
      line: r.line,
      code,
      title: r.get('title'),
      synonyms: r.get('synonyms').split(';').map((s) => s.trim()).filter(Boolean),
      parentCode: parent ? checkCode(parent, file, r.line, 'parent') : null,
      kind: 'code',
    });
  }
  return out;
}
