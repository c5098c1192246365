import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MATCH_END, MATCH_START } from '../../shared/contract';
import { tempProject, type TempProject } from '../importers/fixtures/harness';
import { NotesRepo } from './notes-repo';

let p: TempProject;
let repo: NotesRepo;
let doc1: number;
let doc2: number;
let e119: number;
let i10: number;

beforeEach(() => {
  p = tempProject();
  repo = new NotesRepo(p.db);
  const doc = (ext: string): number => Number(p.db.prepare("INSERT INTO documents (ext_id, text, split) VALUES (?, 'a clinical text', 'pool')").run(ext).lastInsertRowid);
  const label = (code: string): number => Number(p.db.prepare('INSERT INTO labels (code, title) VALUES (?, ?)').run(code, `title ${code}`).lastInsertRowid);
  doc1 = doc('d1');
  doc2 = doc('d2');
  e119 = label('E11.9');
  i10 = label('I10');
});
afterEach(() => p.close());

const count = (): number => p.db.prepare('SELECT COUNT(*) FROM notes').pluck().get() as number;

describe('NotesRepo notes', () => {
  it('keeps one note per document and one per document-label pair, the document note first', () => {
    repo.set(doc1, i10, 'hypertension from the referral letter');
    repo.set(doc1, null, 'ask about the biopsy');
    repo.set(doc1, e119, 'type 2, no complications mentioned');
    repo.set(doc2, null, 'another document');
    expect(repo.ofDocument(doc1).map((n) => [n.labelId, n.code, n.text])).toEqual([
      [null, null, 'ask about the biopsy'],
      [e119, 'E11.9', 'type 2, no complications mentioned'],
      [i10, 'I10', 'hypertension from the referral letter'],
    ]);
    expect(repo.ofDocument(doc2)).toHaveLength(1);
  });

  it('saving again replaces the text and the time; it never adds a second note', () => {
    const first = repo.set(doc1, null, 'first');
    const second = repo.set(doc1, null, 'second');
    repo.set(doc1, e119, 'label one');
    repo.set(doc1, e119, 'label two');
    expect(count()).toBe(2);
    expect(repo.ofDocument(doc1).map((n) => n.text)).toEqual(['second', 'label two']);
    expect(second!.updatedAt >= first!.updatedAt).toBe(true);
    expect(second).toEqual({ labelId: null, code: null, text: 'second', updatedAt: second!.updatedAt, author: null });
  });

  it('the schema itself refuses a second document note (the partial unique index)', () => {
    repo.set(doc1, null, 'one');
    expect(() => p.db.prepare("INSERT INTO notes (doc_id, label_id, text, updated_at) VALUES (?, NULL, 'two', 'now')").run(doc1)).toThrow(/UNIQUE/);
  });

  it('empty or blank text deletes the note, and only that note', () => {
    repo.set(doc1, null, 'doc');
    repo.set(doc1, e119, 'label');
    expect(repo.set(doc1, null, '  \n ')).toBeNull();
    expect(repo.ofDocument(doc1).map((n) => n.labelId)).toEqual([e119]);
    expect(repo.set(doc1, e119, '')).toBeNull();
    expect(count()).toBe(0);
    expect(repo.set(doc2, i10, '')).toBeNull(); // deleting what is not there is harmless
  });

  it('a note goes with its document or label', () => {
    repo.set(doc1, null, 'doc');
    repo.set(doc1, e119, 'label');
    repo.set(doc2, e119, 'label on d2');
    p.db.prepare('DELETE FROM labels WHERE id = ?').run(e119);
    expect(count()).toBe(1);
    p.db.prepare('DELETE FROM documents WHERE id = ?').run(doc1);
    expect(count()).toBe(0);
    expect(repo.search('doc', 10).total).toBe(0); // the FTS index followed the cascade
  });
});

describe('NotesRepo.search', () => {
  it('finds notes by word prefix, diacritics folded, with the matches marked in the excerpt', () => {
    repo.set(doc1, null, 'Pendiente la biopsia del ganglio');
    repo.set(doc2, e119, 'Diabetes según el informe de alta');
    const biopsy = repo.search('biop', 10);
    expect(biopsy.total).toBe(1);
    expect(biopsy.items).toEqual([{ docId: doc1, extId: 'd1', labelId: null, code: null, excerpt: `Pendiente la ${MATCH_START}biopsia${MATCH_END} del ganglio` }]);
    const segun = repo.search('segun', 10); // "según" without its accent
    expect(segun.items.map((h) => [h.docId, h.code])).toEqual([[doc2, 'E11.9']]);
  });

  it('every word must match; FTS syntax in the query is only words', () => {
    repo.set(doc1, null, 'biopsy pending');
    repo.set(doc2, null, 'biopsy done');
    expect(repo.search('biopsy pending', 10).items.map((h) => h.docId)).toEqual([doc1]);
    // As FTS syntax OR would find both; as a word ("or…") it finds neither.
    expect(repo.search('pending OR done', 10).total).toBe(0);
    expect(repo.search('"NEAR(', 10).total).toBe(0);
    expect(repo.search('  ', 10)).toEqual({ items: [], total: 0 });
  });

  it('follows edits and deletions, and limits the items but not the total', () => {
    repo.set(doc1, null, 'old words');
    repo.set(doc1, null, 'new words');
    expect(repo.search('old', 10).total).toBe(0);
    expect(repo.search('new', 10).total).toBe(1);
    repo.set(doc2, null, 'new too');
    repo.set(doc2, i10, 'new again');
    const page = repo.search('new', 2);
    expect(page.total).toBe(3);
    expect(page.items).toHaveLength(2);
    repo.set(doc1, null, '');
    expect(repo.search('new', 10).total).toBe(2);
  });
});

describe('NotesRepo guidelines', () => {
  it('reads as empty and never written, then as what was saved last', () => {
    expect(repo.guidelines()).toEqual({ text: '', updatedAt: null, author: null });
    repo.setGuidelines('# Rules');
    const saved = repo.setGuidelines('# Rules\n\n- one');
    expect(repo.guidelines()).toEqual(saved);
    expect(saved.text).toBe('# Rules\n\n- one');
    expect(p.db.prepare('SELECT COUNT(*) FROM guidelines').pluck().get()).toBe(1);
  });

  it('clearing keeps the time it was cleared', () => {
    repo.setGuidelines('# Rules');
    const cleared = repo.setGuidelines('');
    expect(repo.guidelines()).toEqual({ text: '', updatedAt: cleared.updatedAt, author: null });
    expect(cleared.updatedAt).not.toBeNull();
  });
});
