import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { PlanterError } from '../../shared/errors';
import { loneSurrogateProblem } from '../../shared/unicode';
import type { Db } from './db';
import { nowIso } from './db';
import { codeKey } from './labels-repo';
import { privateFile } from './private-files';

/** What the writer needs of a parsed document (see importers/records.ts). */
export interface StagedDocument {
  line: number;
  extId: string;
  text: string;
  split: string;
  metadata: Record<string, unknown>;
  labels: { code: string; present: boolean }[];
}

export interface StagedCatalogueEntry {
  line: number;
  code: string;
  title: string;
  synonyms: string[];
  parentCode: string | null;
  kind: 'code' | 'category';
}

export interface CommitCounts {
  documents: number;
  assignments: number;
  labelsCreated: number;
  labelsFlagged: number;
  labelsUpdated: number;
  /** Catalogue imports: existing labels whose (non-empty) title the file replaced, and a few of them. */
  titlesChanged?: number;
  titleChanges?: { code: string; before: string; after: string }[];
}

const BATCH = 2000;

/**
 * Parsed documents go to a throw-away SQLite file first, so a 500 MB import needs bounded memory
 * and the project is touched only by one short transaction at the end: a file that fails half-way
 * imports nothing, and annotation writes never wait behind a long parse.
 */
export class CorpusStaging {
  readonly #db: Db;
  readonly #file: string;
  readonly #displayName: string;
  readonly #idField: string;
  readonly #merge: boolean;
  readonly #textField: string;
  readonly #labelsField: string;
  #pending: StagedDocument[] = [];
  #insertDoc: Database.Statement;
  #insertMark: Database.Statement;
  #firstLine: Database.Statement;
  count = 0;

  /** `merge`: records sharing an id are one document (Prodigy writes one line per question). */
  constructor(file: string, options: { displayName: string; idField: string; merge: boolean; textField?: string; labelsField?: string }) {
    this.#file = file;
    this.#displayName = options.displayName;
    this.#idField = options.idField;
    this.#textField = options.textField ?? 'text';
    this.#labelsField = options.labelsField ?? 'labels';
    this.#merge = options.merge;
    rmSync(file, { force: true });
    privateFile(file); // parsed documents are as confidential as the project
    this.#db = new Database(file);
    this.#db.pragma('journal_mode = OFF');
    this.#db.pragma('synchronous = OFF');
    this.#db.exec(`
      CREATE TABLE s_docs (ext_id TEXT PRIMARY KEY, line INTEGER NOT NULL, text TEXT NOT NULL, split TEXT NOT NULL, metadata TEXT NOT NULL);
      CREATE TABLE s_marks (ext_id TEXT NOT NULL, code TEXT NOT NULL, present INTEGER NOT NULL, PRIMARY KEY (ext_id, code)) WITHOUT ROWID;
    `);
    this.#insertDoc = this.#db.prepare(
      `INSERT INTO s_docs (ext_id, line, text, split, metadata) VALUES (?, ?, ?, ?, ?)${this.#merge ? ' ON CONFLICT(ext_id) DO NOTHING' : ''}`,
    );
    this.#insertMark = this.#db.prepare('INSERT OR REPLACE INTO s_marks (ext_id, code, present) VALUES (?, ?, ?)');
    this.#firstLine = this.#db.prepare('SELECT line FROM s_docs WHERE ext_id = ?');
  }

  get file(): string {
    return this.#file;
  }

  add(doc: StagedDocument): void {
    this.#checkUnicode(doc);
    this.#pending.push(doc);
    if (this.#pending.length >= BATCH) this.flush();
  }

  flush(): void {
    const docs = this.#pending;
    this.#pending = [];
    if (docs.length === 0) return;
    this.#db.transaction(() => {
      for (const d of docs) {
        try {
          this.#insertDoc.run(d.extId, d.line, d.text, d.split, JSON.stringify(d.metadata));
        } catch (e) {
          if ((e as { code?: string }).code !== 'SQLITE_CONSTRAINT_PRIMARYKEY') throw e;
          const first = (this.#firstLine.get(d.extId) as { line: number }).line;
          throw new PlanterError('bad-file', `${this.#displayName} line ${d.line}: duplicate id ${JSON.stringify(d.extId)} (first seen on line ${first})`, {
            file: this.#displayName,
            line: d.line,
            field: this.#idField,
          });
        }
        for (const m of d.labels) this.#insertMark.run(d.extId, m.code, m.present ? 1 : 0);
        this.count++;
      }
    })();
  }

  close(): void {
    if (this.#db.open) this.#db.close();
  }

  /** Text with an unpaired surrogate cannot be stored as UTF-8: refuse it, naming line and field. */
  #checkUnicode(doc: StagedDocument): void {
    const fail = (field: string, problem: string): never => {
      throw new PlanterError('bad-file', `${this.#displayName} line ${doc.line}: ${field} ${problem}`, { file: this.#displayName, line: doc.line, field });
    };
    const text = loneSurrogateProblem(doc.text);
    if (text) fail(this.#textField, text);
    const id = loneSurrogateProblem(doc.extId);
    if (id) fail(this.#idField, id);
    for (const m of doc.labels) {
      const code = loneSurrogateProblem(m.code);
      if (code) fail(this.#labelsField, `has a label that ${code}`);
    }
  }

  dispose(): void {
    this.close();
    rmSync(this.#file, { force: true });
  }
}

/** Finds the closest catalogue ancestor of an unknown code: "T81.4XX" → T81.4, PCS "0DB6" → 0DB. */
export function resolveByPrefix(db: Db, code: string): { code: string; title: string } | null {
  const find = db.prepare('SELECT code, title FROM labels WHERE code_key = ? AND flagged = 0');
  let key = codeKey(code).replace(/X+$/, '');
  while (key.length >= 3) {
    const row = find.get(key) as { code: string; title: string } | undefined;
    if (row && row.code !== code) return row;
    key = key.slice(0, -1);
  }
  return null;
}

/**
 * Moves a staged corpus into the project in one IMMEDIATE transaction. Labels the catalogue lacks
 * are created and flagged (never dropped), placed under their closest known prefix. The
 * assignments are how = 'imported', by `info.who` (the annotator who ran the import; null when
 * none was named).
 */
export function commitCorpus(db: Db, staging: CorpusStaging, info: { format: string; fileName: string; who?: string | null }): CommitCounts {
  staging.flush();
  staging.close();
  db.prepare('ATTACH DATABASE ? AS staged').run(staging.file);
  try {
    return db.transaction((): CommitCounts => {
      const clash = db
        .prepare('SELECT s.ext_id, s.line FROM staged.s_docs s JOIN main.documents d ON d.ext_id = s.ext_id ORDER BY s.line LIMIT 1')
        .get() as { ext_id: string; line: number } | undefined;
      if (clash) {
        throw new PlanterError(
          'bad-file',
          `${info.fileName} line ${clash.line}: document id ${JSON.stringify(clash.ext_id)} already exists in this project`,
          { file: info.fileName, line: clash.line, field: 'id' },
        );
      }
      const now = nowIso();
      const importId = Number(
        db.prepare("INSERT INTO imports (kind, format, file_name, created_at) VALUES ('corpus', ?, ?, ?)").run(info.format, info.fileName, now).lastInsertRowid,
      );
      const unknownSql = 'SELECT DISTINCT m.code FROM staged.s_marks m WHERE NOT EXISTS (SELECT 1 FROM main.labels l WHERE l.code = m.code) ORDER BY m.code';
      // "e11.9" or "E119" is the catalogue's E11.9 (codes are matched as coders type them, see
      // codeKey), not a new label: re-spell it when exactly one catalogue label has that key.
      const sameKey = db.prepare('SELECT code FROM main.labels WHERE code_key = ? AND flagged = 0 LIMIT 2').pluck();
      const respell = db.prepare('UPDATE OR REPLACE staged.s_marks SET code = ? WHERE code = ?');
      for (const { code } of db.prepare(unknownSql).all() as { code: string }[]) {
        const hits = sameKey.all(codeKey(code)) as string[];
        if (hits.length === 1) respell.run(hits[0], code);
      }
      const missing = db.prepare(unknownSql).all() as { code: string }[];
      const insertFlagged = db.prepare("INSERT INTO labels (code, title, parent_code, kind, flagged) VALUES (?, ?, ?, 'code', 1)");
      for (const { code } of missing) {
        const ancestor = resolveByPrefix(db, code);
        insertFlagged.run(code, ancestor ? `${ancestor.title} (code not in catalogue)` : '', ancestor?.code ?? null);
      }
      const documents = db
        .prepare('INSERT INTO main.documents (ext_id, text, split, metadata, import_id, updated_at) SELECT ext_id, text, split, metadata, ?, ? FROM staged.s_docs ORDER BY line')
        .run(importId, now).changes;
      const assignments = db
        .prepare(
          `INSERT INTO main.assignments (doc_id, label_id, present, source, how, who, updated_at)
           SELECT d.id, l.id, m.present, 'imported', 'imported', ?, ? FROM staged.s_marks m
           JOIN main.documents d ON d.ext_id = m.ext_id JOIN main.labels l ON l.code = m.code`,
        )
        .run(info.who ?? null, now).changes;
      db.prepare('UPDATE imports SET documents = ?, assignments = ?, labels = ? WHERE id = ?').run(documents, assignments, missing.length, importId);
      return { documents, assignments, labelsCreated: missing.length, labelsFlagged: missing.length, labelsUpdated: 0 };
    }).immediate();
  } finally {
    db.exec('DETACH DATABASE staged');
  }
}

/**
 * Upserts a catalogue in one transaction. Existing codes get the catalogue's title, synonyms and
 * parent and lose their "flagged" mark; flagged codes still missing are re-placed under a prefix.
 */
export function commitCatalogue(db: Db, entries: StagedCatalogueEntry[], info: { format: string; fileName: string }): CommitCounts {
  const seen = new Map<string, number>();
  for (const e of entries) {
    for (const [field, value] of [['code', e.code], ['title', e.title], ...e.synonyms.map((x) => ['synonyms', x])] as [string, string][]) {
      const problem = loneSurrogateProblem(value);
      if (problem) {
        throw new PlanterError('bad-file', `${info.fileName}${e.line ? ` line ${e.line}` : ''}: ${field} ${problem}`, { file: info.fileName, ...(e.line ? { line: e.line } : {}), field });
      }
    }
    const first = seen.get(e.code);
    if (first !== undefined) {
      throw new PlanterError('bad-file', `${info.fileName}${e.line ? ` line ${e.line}` : ''}: duplicate code ${JSON.stringify(e.code)}${first ? ` (first on line ${first})` : ''}`, {
        file: info.fileName,
        ...(e.line ? { line: e.line } : {}),
        field: 'code',
      });
    }
    seen.set(e.code, e.line);
  }
  return db.transaction((): CommitCounts => {
    const now = nowIso();
    const importId = Number(db.prepare("INSERT INTO imports (kind, format, file_name, created_at) VALUES ('catalogue', ?, ?, ?)").run(info.format, info.fileName, now).lastInsertRowid);
    const existing = db.prepare('SELECT title, flagged FROM labels WHERE code = ?');
    const upsert = db.prepare(
      `INSERT INTO labels (code, title, synonyms, parent_code, kind, catalogue, flagged) VALUES (?, ?, ?, ?, ?, ?, 0)
       ON CONFLICT(code) DO UPDATE SET title = excluded.title, synonyms = excluded.synonyms, parent_code = excluded.parent_code,
         kind = excluded.kind, catalogue = excluded.catalogue, flagged = 0`,
    );
    let created = 0;
    let updated = 0;
    // A title replaced is said, never silent (issue #14); a flagged code's placeholder title does not count.
    const titleChanges: { code: string; before: string; after: string }[] = [];
    let titlesChanged = 0;
    for (const e of entries) {
      const old = existing.get(e.code) as { title: string; flagged: number } | undefined;
      if (old) {
        updated++;
        if (!old.flagged && old.title !== '' && old.title !== e.title) {
          titlesChanged++;
          if (titleChanges.length < 5) titleChanges.push({ code: e.code, before: old.title, after: e.title });
        }
      } else created++;
      upsert.run(e.code, e.title, JSON.stringify(e.synonyms), e.parentCode, e.kind, info.format);
    }
    const orphans = db.prepare('SELECT id, code FROM labels WHERE flagged = 1').all() as { id: number; code: string }[];
    const place = db.prepare('UPDATE labels SET parent_code = ?, title = CASE WHEN title = \'\' THEN ? ELSE title END WHERE id = ?');
    for (const o of orphans) {
      const ancestor = resolveByPrefix(db, o.code);
      if (ancestor) place.run(ancestor.code, `${ancestor.title} (code not in catalogue)`, o.id);
    }
    db.prepare('UPDATE imports SET labels = ? WHERE id = ?').run(created + updated, importId);
    return { documents: 0, assignments: 0, labelsCreated: created, labelsFlagged: 0, labelsUpdated: updated, titlesChanged, titleChanges };
  }).immediate();
}
