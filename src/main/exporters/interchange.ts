/**
 * Annotations in other tools' own formats, shaped exactly as Planter's importers for those tools
 * read them (importers/corpus-tools.ts), so an export imports back into a new project unchanged.
 * Each keeps the document id and split where the tool keeps a task's metadata; the split comes
 * back with the import's split field set to `split` (`planter import --split-field split`).
 */

/** One document as the tool formats need it: positive labels and explicit rejections by code. */
export interface InterchangeDocument {
  extId: string;
  text: string;
  split: string;
  labels: string[];
  rejected: string[];
}

/** How one tool's file is put together: an optional head and tail around the documents. */
export interface InterchangeFormat {
  head: string;
  /** The text for one document; `first` is true for the file's first document. */
  document(doc: InterchangeDocument, first: boolean): string;
  tail: string;
}

/**
 * Prodigy textcat JSONL, as `prodigy db-out` writes it: a choice task per document (`options`,
 * `accept` the chosen ones, `answer: "accept"`) with `meta: {id, split}`. Prodigy can say "not this
 * label": each rejection follows as a binary task (`label`, `answer: "reject"`) with the same meta,
 * which the importer merges into the document by `meta.id`. `_input_hash`/`_task_hash` are left
 * out: `prodigy db-in` computes them, and Planter's importer does not need them.
 */
export const prodigyFormat: InterchangeFormat = {
  head: '',
  document(doc) {
    const meta = { id: doc.extId, split: doc.split };
    const options = [...doc.labels, ...doc.rejected].map((code) => ({ id: code, text: code }));
    const lines = [JSON.stringify({ text: doc.text, meta, options, accept: doc.labels, answer: 'accept' })];
    for (const code of doc.rejected) lines.push(JSON.stringify({ text: doc.text, meta, label: code, answer: 'reject' }));
    return `${lines.join('\n')}\n`;
  },
  tail: '',
};

/**
 * doccano's text-classification JSONL export: `{id, text, label: [codes]}`, the split as a further
 * key (doccano keeps extra keys as the example's metadata). doccano has no way to say "not this
 * label", so rejections are not written.
 */
export const doccanoFormat: InterchangeFormat = {
  head: '',
  document: (doc) => `${JSON.stringify({ id: doc.extId, text: doc.text, label: doc.labels, split: doc.split })}\n`,
  tail: '',
};

/**
 * Label Studio's JSON export: one array of tasks `{id, data: {text, split}, annotations: [{result:
 * [{type: "choices", from_name: "label", to_name: "text", value: {choices}}]}]}`, for a labelling
 * config `<Choices name="label" toName="text" choice="multiple">`. A document without labels has no
 * annotation. A choices result only lists what was chosen, so rejections are not written.
 */
export const labelStudioFormat: InterchangeFormat = {
  head: '[\n',
  document(doc, first) {
    const result = [{ type: 'choices', from_name: 'label', to_name: 'text', value: { choices: doc.labels } }];
    const task = { id: doc.extId, data: { text: doc.text, split: doc.split }, annotations: doc.labels.length ? [{ result }] : [] };
    return `${first ? '' : ',\n'}${JSON.stringify(task)}`;
  },
  tail: '\n]\n',
};

export const INTERCHANGE_FORMATS = { prodigy: prodigyFormat, doccano: doccanoFormat, 'label-studio': labelStudioFormat } as const;
export type InterchangeFormatName = keyof typeof INTERCHANGE_FORMATS;
