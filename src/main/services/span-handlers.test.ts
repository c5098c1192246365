import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Method, Output } from '../../shared/contract';
import { resourcesDir } from '../app/paths';
import { dispatch } from '../app/dispatch';
import type { CallContext } from '../core/handlers';
import { createServices, type Services } from '../app/services';

const http: CallContext = { transport: 'http', trusted: false };
const cli: CallContext = { transport: 'cli', trusted: true };

// 0         1         2         3         4
// 0123456789012345678901234567890123456789012345
const TEXT = 'Varón con dolor abdominal y fiebre de 39 ºC.';

let dataDir: string;
let services: Services;
let doc: number;
let r52: number;
let r509: number;

async function call<M extends Method>(method: M, input: unknown, ctx: CallContext = http): Promise<Output<M>> {
  const reply = await dispatch(services.handlers, method, input, ctx);
  if (!reply.ok) throw Object.assign(new Error(`${reply.error.code}: ${reply.error.message}`), { wire: reply.error });
  return reply.value as Output<M>;
}
const shown = (r: { spans: { code: string; start: number; end: number; text: string }[] }): string[] => r.spans.map((s) => `${s.code} ${s.start}-${s.end} ${s.text}`);

beforeEach(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'planter-spans-'));
  services = createServices({ dataDir, resourcesDir: resourcesDir(), version: 'test' });
  await call('projects.create', { id: 'p', name: 'P' });
  const db = services.projects.get('p').db;
  doc = Number(db.prepare("INSERT INTO documents (ext_id, text, split) VALUES ('d1', ?, 'train')").run(TEXT).lastInsertRowid);
  db.prepare("INSERT INTO documents (ext_id, text, split) VALUES ('d2', 'otro texto', 'train')").run();
  r52 = Number(db.prepare("INSERT INTO labels (code, title) VALUES ('R52', 'Pain')").run().lastInsertRowid);
  r509 = Number(db.prepare("INSERT INTO labels (code, title) VALUES ('R50.9', 'Fever')").run().lastInsertRowid);
});

afterEach(async () => {
  await services.dispose();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('evidence spans through dispatch', () => {
  it('adds a span with the document text at its offsets, and lists it', async () => {
    const added = await call('spans.add', { projectId: 'p', docId: doc, labelId: r52, start: 10, end: 25 });
    expect(added.changed).toBe(true);
    expect(added.span).toMatchObject({ docId: doc, labelId: r52, code: 'R52', start: 10, end: 25, text: 'dolor abdominal', source: 'added' });
    expect(added.history.undo).toMatchObject({ action: 'span-add', code: 'R52', extId: 'd1' });
    expect(shown(await call('spans.list', { projectId: 'p', docId: doc }))).toEqual(['R52 10-25 dolor abdominal']);
    const again = await call('spans.add', { projectId: 'p', docId: doc, labelId: r52, start: 10, end: 25 });
    expect(again.changed).toBe(false);
    expect(again.spans).toHaveLength(1);
  });

  it('refuses offsets outside the text, an empty or blank range, and an unknown label', async () => {
    await expect(call('spans.add', { projectId: 'p', docId: doc, labelId: r52, start: 40, end: 45 })).rejects.toThrow(/invalid-input: span 40–45 is outside the document \(its text has 44 characters\)/);
    await expect(call('spans.add', { projectId: 'p', docId: doc, labelId: r52, start: 5, end: 5 })).rejects.toThrow(/invalid-input/);
    await expect(call('spans.add', { projectId: 'p', docId: doc, labelId: r52, start: 9, end: 10 })).rejects.toThrow(/only spaces/);
    await expect(call('spans.add', { projectId: 'p', docId: doc, labelId: 999, start: 0, end: 5 })).rejects.toThrow(/not-found: no label 999/);
    expect((await call('spans.list', { projectId: 'p', docId: doc })).spans).toEqual([]);
  });

  it('retargets, moves and deletes; undo and redo walk every step back and forth', async () => {
    const { span } = await call('spans.add', { projectId: 'p', docId: doc, labelId: r52, start: 10, end: 25 });
    const id = span!.id;
    expect(shown(await call('spans.update', { projectId: 'p', spanId: id, labelId: r509 }))).toEqual(['R50.9 10-25 dolor abdominal']);
    expect(shown(await call('spans.update', { projectId: 'p', spanId: id, start: 28, end: 34 }))).toEqual(['R50.9 28-34 fiebre']);
    expect(shown(await call('spans.delete', { projectId: 'p', spanId: id }))).toEqual([]);
    const list = async (): Promise<string[]> => shown(await call('spans.list', { projectId: 'p', docId: doc }));
    const undo = async (): Promise<string | undefined> => (await call('annotations.undo', { projectId: 'p' })).event?.action;
    expect(await undo()).toBe('span-delete');
    expect(await list()).toEqual(['R50.9 28-34 fiebre']);
    expect(await undo()).toBe('span-update');
    expect(await list()).toEqual(['R50.9 10-25 dolor abdominal']);
    expect(await undo()).toBe('span-update');
    expect(await list()).toEqual(['R52 10-25 dolor abdominal']);
    expect(await undo()).toBe('span-add');
    expect(await list()).toEqual([]);
    expect(await undo()).toBeUndefined();
    await call('annotations.redo', { projectId: 'p' });
    expect(await list()).toEqual(['R52 10-25 dolor abdominal']);
    await call('annotations.redo', { projectId: 'p' });
    const redone = await list();
    expect(redone).toEqual(['R50.9 10-25 dolor abdominal']);
    expect((await call('spans.list', { projectId: 'p', docId: doc })).spans[0]!.id).toBe(id);
  });

  it('spans undo in one history with label decisions', async () => {
    await call('annotations.apply', { projectId: 'p', docId: doc, labelId: r52, action: 'add' });
    await call('spans.add', { projectId: 'p', docId: doc, labelId: r52, start: 10, end: 15 });
    const h = await call('annotations.history', { projectId: 'p' });
    expect(h.events.map((e) => e.action)).toEqual(['span-add', 'add']);
    await call('annotations.undo', { projectId: 'p' });
    const after = await call('annotations.undo', { projectId: 'p' });
    expect(after.event?.action).toBe('add');
    expect(after.document?.labels).toEqual([]);
    expect((await call('spans.list', { projectId: 'p', docId: doc })).spans).toEqual([]);
  });

  it('a deleted label takes its spans and their log with it: undo then reaches the older span', async () => {
    await call('spans.add', { projectId: 'p', docId: doc, labelId: r52, start: 10, end: 15 });
    const { span } = await call('spans.add', { projectId: 'p', docId: doc, labelId: r509, start: 28, end: 34 });
    await call('spans.delete', { projectId: 'p', spanId: span!.id });
    services.projects.get('p').db.prepare('DELETE FROM labels WHERE id = ?').run(r509);
    expect(shown(await call('spans.list', { projectId: 'p', docId: doc }))).toEqual(['R52 10-15 dolor']);
    expect((await call('annotations.undo', { projectId: 'p' })).event).toMatchObject({ action: 'span-add', code: 'R52' });
    expect(shown(await call('spans.list', { projectId: 'p', docId: doc }))).toEqual([]);
  });
});

describe('the picker\'s words per label', () => {
  it('labels.terms gives a label the texts coders marked for it, and refreshes after a span is added', async () => {
    const before = await call('labels.terms', { projectId: 'p' });
    expect(before.labels.find((l) => l.labelId === r52)).toBeUndefined();
    await call('spans.add', { projectId: 'p', docId: doc, labelId: r52, start: 10, end: 25 });
    const after = await call('labels.terms', { projectId: 'p' });
    expect(after.version).not.toBe(before.version);
    expect(after.labels.find((l) => l.labelId === r52)?.terms[0]).toBe('dolor abdominal');
  });
});

describe('spans.import (CodiEsp-X)', () => {
  const tsv = (lines: string[]): string => {
    const file = join(dataDir, 'x.tsv');
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  };

  it('stores matching spans (one per piece), reports mismatches by line (also of codes the project lacks), skips unknown codes and documents', async () => {
    const file = tsv([
      'd1\tDIAGNOSTICO\tr52\tdolor abdominal\t10 25',
      'd1\tDIAGNOSTICO\tr50.9\tfiebre  39\t28 34;36 36;38 40',
      'd1\tDIAGNOSTICO\tr52\tdolor abdominal\t10 25',
      'd1\tDIAGNOSTICO\tr52\tdolor abdominal.\t10 25',
      'd1\tPROCEDIMIENTO\tbw03zzz\tfiebre\t28 34',
      'd1\tPROCEDIMIENTO\tbw03zzz\tfiebre.\t28 34',
      'nope\tDIAGNOSTICO\tr52\tx\t0 1',
      'd1\tDIAGNOSTICO\tr52\tfuera\t40 60',
    ]);
    const result = await call('spans.import', { projectId: 'p', source: { path: file } }, cli);
    expect(result).toEqual({
      file: 'x.tsv',
      rows: 8,
      imported: 3,
      duplicates: 1,
      mismatches: [
        { line: 4, extId: 'd1', expected: 'dolor abdominal.', actual: 'dolor abdominal' },
        { line: 6, extId: 'd1', expected: 'fiebre.', actual: 'fiebre' },
        { line: 8, extId: 'd1', expected: 'fuera', actual: '(offsets past the end of the text, 44 characters)' },
      ],
      unknownDocuments: 1,
      unknownCodes: 1,
      unknownLines: [5, 7],
    });
    expect(shown(await call('spans.list', { projectId: 'p', docId: doc }))).toEqual(['R52 10-25 dolor abdominal', 'R50.9 28-34 fiebre', 'R50.9 38-40 39']);
    expect((await call('spans.list', { projectId: 'p', docId: doc })).spans.every((s) => s.source === 'imported')).toBe(true);
    // An import is not an annotation: nothing to undo.
    expect((await call('annotations.history', { projectId: 'p' })).history.undo).toBeNull();
  });

  it('a malformed line imports nothing and names file, line and field', async () => {
    const file = tsv(['d1\tDIAGNOSTICO\tr52\tdolor abdominal\t10 25', 'd1\tDIAGNOSTICO\tr52\tdolor\t10,15']);
    const reply = await dispatch(services.handlers, 'spans.import', { projectId: 'p', source: { path: file } }, cli);
    expect(reply).toMatchObject({ ok: false, error: { code: 'bad-file', details: { file: 'x.tsv', line: 2, field: 'offsets' } } });
    expect((await call('spans.list', { projectId: 'p', docId: doc })).spans).toEqual([]);
  });

  it('only the command line may name a path', async () => {
    await expect(call('spans.import', { projectId: 'p', source: { path: tsv([]) } })).rejects.toThrow(/unauthorized/);
  });
});
