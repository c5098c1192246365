import { ESLint } from 'eslint';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The repository root, where eslint.config.js is: the rule under test is the project's own config.
const root = fileURLToPath(new URL('../../../', import.meta.url));
const eslint = new ESLint({ cwd: root });

const SQL_MESSAGE = /SQL belongs in a repository under src\/main\/store/;

/** Messages of the SQL rule for `code` linted as if it were the file `filePath` (relative to the root). */
async function sqlMessages(code: string, filePath: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${root}${filePath}` });
  expect(result).toBeDefined();
  return result!.messages.filter((m) => m.ruleId === 'no-restricted-syntax').map((m) => m.message);
}

const SNIPPET = "import type { Db } from '../store/db';\nexport const one = (db: Db): unknown => db.prepare('SELECT 1').get();\n";

describe('eslint: only src/main/store prepares SQL', () => {
  it('flags db.prepare in a service', async () => {
    const messages = await sqlMessages(SNIPPET, 'src/main/services/x.ts');
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(SQL_MESSAGE);
  }, 60_000);

  it('lets the same code pass inside src/main/store', async () => {
    expect(await sqlMessages(SNIPPET.replace('../store/db', './db'), 'src/main/store/x.ts')).toEqual([]);
  }, 60_000);

  it('flags pragma, transaction and exec on a connection, wherever it is reached from', async () => {
    const code = [
      "import type { Db } from '../store/db';",
      'export function f(db: Db, store: { db: Db }, stagingDb: Db): void {',
      "  store.db.pragma('wal_checkpoint(TRUNCATE)');",
      '  db.transaction(() => 1)();',
      "  db.exec('DELETE FROM labels');",
      "  stagingDb.exec('VACUUM');",
      '}',
    ].join('\n');
    const messages = await sqlMessages(code, 'src/main/importers/x.ts');
    expect(messages).toHaveLength(4);
    expect(messages.every((m) => SQL_MESSAGE.test(m))).toBe(true);
  }, 60_000);

  it('leaves RegExp#exec alone', async () => {
    const code = "export const n = (s: string, re: RegExp): string | undefined => /(\\d+)/.exec(s)?.[1] ?? re.exec(s)?.[0];\n";
    expect(await sqlMessages(code, 'src/main/web/x.ts')).toEqual([]);
  }, 60_000);
});
