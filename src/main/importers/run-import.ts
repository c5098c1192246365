import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CatalogueFormat, CorpusFormat, CorpusFormatChoice, FieldMapping, ImportResult } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import type { Db } from '../store/db';
import { CorpusStaging, commitCatalogue, commitCorpus } from '../store/import-writer';
import { eurovocCatalogue, icd10cmCatalogue, icd10pcsCatalogue, labelsCsvCatalogue } from './catalogues';
import { csvCorpus, jsonlCorpus } from './corpus-generic';
import { doccanoCorpus, labelStudioCorpus, prodigyCorpus } from './corpus-tools';
import { resolveCorpusFormat } from './detect-format';
import { readChunks, readLines, type ReadProgress } from './read-lines';
import type { CatalogueRecord, CorpusRecord } from './records';
import { refuseOtherCodeSystem } from './code-system';

export interface ImportProgress {
  phase: 'reading' | 'committing';
  doneBytes: number;
  totalBytes: number;
  documents: number;
}

export interface ImportOptions {
  /** The file on disk (an upload's staging file or a CLI path). */
  file: string;
  /** The user's name for it, used in every error message. */
  displayName: string;
  /** Folder for the throw-away staging database. */
  tmpDir: string;
  signal?: AbortSignal;
  onProgress?: (p: ImportProgress) => void;
  maxLineBytes?: number;
  /**
   * Called (synchronously) just before the commit's write transaction begins and after it ends:
   * a worker uses it to let the main thread's writers wait without blocking (store/write-gate.ts).
   */
  aroundCommit?: { before: () => void; after: () => void };
  /** Formats that are one JSON document (Label Studio, EUROVOC): refuse more decompressed bytes. */
  maxDocumentBytes?: number;
  /** Catalogues: import even when its code system differs from the project's. */
  force?: boolean;
  /** Corpora: the annotator who runs the import, recorded on every imported assignment (issue #17 provenance). */
  who?: string | null;
}

/**
 * The tools' exports, whose export of an empty project (no documents or tasks) imports as nothing
 * rather than being refused: Planter's own interchange exports round-trip an empty project. A
 * generic JSONL or CSV file without records stays refused; it is more likely the wrong file.
 */
const EMPTY_EXPORTS: ReadonlySet<CorpusFormat> = new Set(['prodigy', 'doccano', 'label-studio']);

/** A 150 MB Label Studio export passes; a gzip that unpacks to gigabytes is refused by name. */
export const DEFAULT_MAX_DOCUMENT_BYTES = 1024 * 1024 * 1024;

function committing<T>(options: ImportOptions, commit: () => T): T {
  options.aroundCommit?.before();
  try {
    return commit();
  } finally {
    options.aroundCommit?.after();
  }
}

function checkCancelled(signal?: AbortSignal): void {
  if (signal?.aborted) throw new PlanterError('cancelled', 'import cancelled');
}

function corpusRecords(format: CorpusFormat, options: ImportOptions, mapping: FieldMapping, onRead: (p: ReadProgress) => void): AsyncIterable<CorpusRecord> {
  const lineOptions = { displayName: options.displayName, onProgress: onRead, ...(options.signal ? { signal: options.signal } : {}), ...(options.maxLineBytes ? { maxLineBytes: options.maxLineBytes } : {}) };
  const lines = () => readLines(options.file, lineOptions);
  switch (format) {
    case 'jsonl':
      return jsonlCorpus(lines(), options.displayName, mapping);
    case 'csv':
      return csvCorpus(lines(), options.displayName, mapping);
    case 'prodigy':
      return prodigyCorpus(lines(), options.displayName, mapping);
    case 'doccano':
      return doccanoCorpus(lines(), options.displayName, mapping);
    case 'label-studio':
      return labelStudioCorpus(readChunks(options.file, { ...lineOptions, maxBytes: options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES }), options.displayName, mapping);
  }
}

/**
 * Imports a corpus file: parse and validate everything into a staging database, then commit in
 * one transaction. Any error or a cancellation leaves the project exactly as it was.
 */
export async function importCorpus(db: Db, requested: CorpusFormatChoice, mapping: FieldMapping, options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  const format = await resolveCorpusFormat(requested, mapping, options.file, options.displayName);
  mkdirSync(options.tmpDir, { recursive: true, mode: 0o700 });
  // The pid in the name lets a later start remove it if this process is killed mid-import (store/temp-files.ts).
  const staging = new CorpusStaging(join(options.tmpDir, `import-${process.pid}-${randomBytes(6).toString('hex')}.sqlite`), {
    displayName: options.displayName,
    idField: format === 'jsonl' || format === 'csv' ? (mapping.idField ?? 'id') : 'id',
    textField: format === 'jsonl' || format === 'csv' ? mapping.textField : format === 'label-studio' ? `data.${mapping.textField}` : 'text',
    labelsField: format === 'jsonl' || format === 'csv' ? (mapping.labelsField ?? 'labels') : format === 'label-studio' ? 'annotations.result' : format === 'doccano' ? 'label' : 'accept',
    merge: format === 'prodigy',
  });
  let read: ReadProgress = { doneBytes: 0, totalBytes: 0 };
  // Records are counted as they are parsed: the staging table only counts its flushed batches, so
  // "reading 100 % — 0 records read" was all a small file ever showed (issue #14).
  let parsed = 0;
  const report = (phase: ImportProgress['phase']): void => options.onProgress?.({ phase, ...read, documents: parsed });
  try {
    const records = corpusRecords(format, options, mapping, (p) => {
      read = p;
      report('reading');
    });
    for await (const rec of records) {
      staging.add(rec);
      parsed++;
    }
    staging.flush();
    if (staging.count === 0) {
      if (!EMPTY_EXPORTS.has(format)) throw new PlanterError('bad-file', `${options.displayName}: no documents found`, { file: options.displayName });
      // A tool's export of an empty project: nothing to write, so the project is not touched at all.
      checkCancelled(options.signal);
      return { file: options.displayName, documents: 0, assignments: 0, labelsCreated: 0, labelsFlagged: 0, labelsUpdated: 0, durationMs: performance.now() - started, format };
    }
    checkCancelled(options.signal);
    report('committing');
    const counts = committing(options, () => commitCorpus(db, staging, { format, fileName: options.displayName, who: options.who ?? null }));
    return { file: options.displayName, ...counts, durationMs: performance.now() - started, format };
  } finally {
    staging.dispose();
  }
}

async function catalogueRecords(format: CatalogueFormat, options: ImportOptions): Promise<CatalogueRecord[]> {
  const lineOptions = { displayName: options.displayName, ...(options.signal ? { signal: options.signal } : {}) };
  switch (format) {
    case 'icd10cm-tsv':
      return icd10cmCatalogue(readLines(options.file, lineOptions), options.displayName);
    case 'icd10pcs-tsv':
      return icd10pcsCatalogue(readLines(options.file, lineOptions), options.displayName);
    case 'labels-csv':
      return labelsCsvCatalogue(readLines(options.file, lineOptions), options.displayName);
    case 'eurovoc-json':
      return eurovocCatalogue(readChunks(options.file, { ...lineOptions, maxBytes: options.maxDocumentBytes ?? DEFAULT_MAX_DOCUMENT_BYTES }), options.displayName);
  }
}

/** Imports a label catalogue in one transaction (upsert by code). */
export async function importCatalogue(db: Db, format: CatalogueFormat, options: ImportOptions): Promise<ImportResult> {
  const started = performance.now();
  options.onProgress?.({ phase: 'reading', doneBytes: 0, totalBytes: 0, documents: 0 });
  const entries = await catalogueRecords(format, options);
  options.onProgress?.({ phase: 'reading', doneBytes: 1, totalBytes: 1, documents: entries.length });
  checkCancelled(options.signal);
  if (!options.force) refuseOtherCodeSystem(db, format, entries, options.displayName);
  options.onProgress?.({ phase: 'committing', doneBytes: 0, totalBytes: 0, documents: 0 });
  const counts = committing(options, () => commitCatalogue(db, entries, { format, fileName: options.displayName }));
  return { file: options.displayName, ...counts, durationMs: performance.now() - started };
}

