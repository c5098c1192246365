import type { FieldMapping } from '../../shared/contract';
import { describe, idValue, labelValues, scalarMetadata, splitValue, textValue } from './field-values';
import { jsonTopLevel } from './json-stream';
import { jsonlObjects } from './jsonl';
import { badFile, type Line } from './read-lines';
import { codeProblem, type CorpusRecord, type LabelMark } from './records';

function requireText(obj: Record<string, unknown>, field: string, file: string, line: number): string {
  const text = textValue(obj[field], file, line, field);
  if (text === null) throw badFile(file, line, 'is missing', field);
  if (text.trim() === '') throw badFile(file, line, 'is empty', field);
  return text;
}

/**
 * The split of one record: read from `mapping.splitField` in the place the tool keeps a task's
 * metadata (Prodigy's `meta`, a doccano line, Label Studio's `data`) when one is named, as
 * Planter's own exports write it; otherwise the file's `--split`, or train.
 */
function toolSplit(place: Record<string, unknown>, mapping: FieldMapping, file: string, line: number, prefix: string): string {
  return mapping.splitField ? splitValue(place[mapping.splitField], file, line, `${prefix}${mapping.splitField}`) : (mapping.split ?? 'train');
}

/** The keys metadata leaves out: the ones read as something else, and the split field. */
const usedKeys = (mapping: FieldMapping, ...keys: string[]): Set<string> => new Set(mapping.splitField ? [...keys, mapping.splitField] : keys);

function oneCode(value: unknown, file: string, line: number, field: string): string {
  const code = typeof value === 'number' ? String(value) : value;
  if (typeof code !== 'string') throw badFile(file, line, `must be a label code, found ${describe(value)}`, field);
  const problem = codeProblem(code.trim());
  if (problem) throw badFile(file, line, `label code ${problem}`, field);
  return code.trim();
}

/**
 * Prodigy JSONL (`prodigy db-out`). Choice tasks carry `accept: [option ids]`; binary tasks carry
 * `label` and `answer`. Several lines may describe the same text (one per binary question): they
 * share `_input_hash` and are merged into one document by the writer.
 */
export async function* prodigyCorpus(lines: AsyncIterable<Line>, file: string, mapping: FieldMapping): AsyncGenerator<CorpusRecord> {
  // `prodigy db-out` of an empty dataset, and Planter's export of an empty project, is an empty file.
  for await (const { line, value: obj } of jsonlObjects(lines, file, { allowEmpty: true })) {
    const text = requireText(obj, 'text', file, line);
    const answer = obj.answer ?? 'accept';
    if (answer !== 'accept' && answer !== 'reject' && answer !== 'ignore') {
      throw badFile(file, line, `must be "accept", "reject" or "ignore", found ${describe(answer)}`, 'answer');
    }
    const meta = (obj.meta && typeof obj.meta === 'object' ? obj.meta : {}) as Record<string, unknown>;
    const idSource = meta.id ?? obj.id ?? obj._input_hash;
    const extId = idSource === undefined ? `${file}:${line}` : idValue(idSource, file, line, meta.id !== undefined ? 'meta.id' : obj.id !== undefined ? 'id' : '_input_hash');
    const labels: LabelMark[] = [];
    if (answer !== 'ignore') {
      if (obj.accept !== undefined) {
        if (!Array.isArray(obj.accept)) throw badFile(file, line, `must be a list of option ids, found ${describe(obj.accept)}`, 'accept');
        // In a choice task "accept" lists the chosen options; a rejected task's choices are not labels.
        if (answer === 'accept') for (const m of labelValues(obj.accept, ';', file, line, 'accept')) labels.push(m);
      } else if (obj.label !== undefined) {
        labels.push({ code: oneCode(obj.label, file, line, 'label'), present: answer === 'accept' });
      }
    }
    const split = toolSplit(meta, mapping, file, line, 'meta.');
    yield { line, extId, text, split, metadata: scalarMetadata(meta, usedKeys(mapping, 'id')), labels };
  }
}

/** doccano text-classification export (JSONL with `text` and `label`, older versions `labels`). */
export async function* doccanoCorpus(lines: AsyncIterable<Line>, file: string, mapping: FieldMapping): AsyncGenerator<CorpusRecord> {
  // An empty project's export is an empty file, as for Prodigy.
  for await (const { line, value: obj } of jsonlObjects(lines, file, { allowEmpty: true })) {
    const text = requireText(obj, 'text', file, line);
    const field = obj.label !== undefined ? 'label' : obj.labels !== undefined ? 'labels' : 'label';
    const raw = obj[field];
    if (Array.isArray(raw) && raw.some((x) => Array.isArray(x))) {
      throw badFile(file, line, 'holds span annotations ([start, end, label]); export a text-classification project instead', field);
    }
    const labels = labelValues(raw, ';', file, line, field);
    const extId = obj.id === undefined ? `${file}:${line}` : idValue(obj.id, file, line, 'id');
    yield { line, extId, text, split: toolSplit(obj, mapping, file, line, ''), metadata: scalarMetadata(obj, usedKeys(mapping, 'id', 'text', 'label', 'labels')), labels };
  }
}

/** Label Studio's export is one array of tasks: what to say when the file holds something else. */
export function labelStudioTopLevelProblem(value: unknown): string {
  return `expected a JSON array of tasks (Label Studio's JSON export), found ${describe(value)}`;
}

/**
 * One Label Studio task (`position` counts from 1, `line` is where it starts in the file). Labels
 * are the union of the `choices` (and the leaf of each `taxonomy` path) over the task's
 * annotations that were not cancelled. Errors name the task's position and id.
 */
export function labelStudioTask(task: unknown, position: number, line: number, file: string, mapping: FieldMapping): CorpusRecord {
  const t = task as Record<string, unknown>;
  const fail = (msg: string, field?: string): never => {
    const id = t && typeof t === 'object' && (typeof t.id === 'string' || typeof t.id === 'number') ? ` (id ${String(t.id)})` : '';
    throw badFile(file, undefined, `task ${position}${id}: ${msg}`, field);
  };
  if (!t || typeof t !== 'object' || Array.isArray(t)) fail(`expected an object, found ${describe(t)}`);
  const data = t.data as Record<string, unknown> | undefined;
  if (!data || typeof data !== 'object') fail('has no "data" object', 'data');
  const key = data![mapping.textField] !== undefined ? mapping.textField : Object.keys(data!).find((k) => typeof data![k] === 'string');
  if (!key) fail(`has no text in "data" (looked for "${mapping.textField}")`, `data.${mapping.textField}`);
  const text = data![key!];
  if (typeof text !== 'string' || text.trim() === '') fail('has an empty text', `data.${key}`);
  const codes = new Set<string>();
  const annotations = t.annotations ?? t.completions ?? [];
  if (!Array.isArray(annotations)) fail(`"annotations" must be a list, found ${describe(annotations)}`, 'annotations');
  for (const ann of annotations as Record<string, unknown>[]) {
    if (!ann || typeof ann !== 'object' || ann.was_cancelled === true) continue;
    const result = ann.result;
    if (!Array.isArray(result)) fail('an annotation has no "result" list', 'annotations.result');
    for (const r of result as Record<string, unknown>[]) {
      const value = (r?.value ?? {}) as Record<string, unknown>;
      if (Array.isArray(value.choices)) for (const c of value.choices) codes.add(String(c).trim());
      if (Array.isArray(value.taxonomy)) {
        for (const path of value.taxonomy) if (Array.isArray(path) && path.length) codes.add(String(path[path.length - 1]).trim());
      }
    }
  }
  const labels: LabelMark[] = [];
  for (const code of codes) {
    const problem = codeProblem(code);
    if (problem) fail(`label ${JSON.stringify(code.slice(0, 40))} ${problem}`, 'annotations.result');
    labels.push({ code, present: true });
  }
  // An object or list id would become "[object Object]" and collide with every other one.
  if (t.id !== undefined && typeof t.id !== 'string' && typeof t.id !== 'number') fail(`"id" must be a string or a number, found ${describe(t.id)}`, 'id');
  const extId = t.id === undefined ? `${file}#${position}` : String(t.id);
  const split = toolSplit(data!, mapping, file, line, 'data.');
  return { line, extId, text: text as string, split, metadata: scalarMetadata(data!, usedKeys(mapping, key!)), labels };
}

/**
 * Label Studio JSON export (one array of tasks), read a task at a time from the file's bytes
 * (importers/json-stream.ts), so a 150 MB export is never one string. `[]` is a valid export (of
 * a project without tasks, as Label Studio and Planter write it): it yields nothing.
 */
export async function* labelStudioCorpus(chunks: AsyncIterable<Buffer>, file: string, mapping: FieldMapping): AsyncGenerator<CorpusRecord> {
  for await (const item of jsonTopLevel(chunks, file, { expect: 'array', itemName: 'task', wrongTop: labelStudioTopLevelProblem })) {
    yield labelStudioTask(item.value, item.index, item.line, file, mapping);
  }
}
