// Layer rules follow ../shared/STYLE.md §1: each folder may import only what is listed there.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const restrict = (patterns) => ({ 'no-restricted-imports': ['error', { patterns }] });

export default tseslint.config(
  { ignores: ['.scratch/**', 'out/**', 'node_modules/**', 'test-results/**', 'playwright-report/**', 'e2e/artifacts/**', 'bench/results/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  { files: ['src/renderer/**'], languageOptions: { globals: { ...globals.browser } } },
  { files: ['src/shared/**'], rules: restrict(['node:*', 'electron', '**/main/**', '**/renderer/**', '**/preload/**']) },
  { files: ['src/renderer/**'], rules: restrict(['node:*', 'electron', '**/main/**', '**/preload/**', 'better-sqlite3', 'onnxruntime-node']) },
  { files: ['src/preload/**'], rules: restrict(['**/main/**', '**/renderer/**', 'node:*']) },
  { files: ['src/main/engine/**'], rules: restrict(['electron', '**/store/**', '**/services/**', '**/electron/**', '**/web/**', '**/cli/**', '**/renderer/**']) },
  { files: ['src/main/store/**'], rules: restrict(['electron', '**/services/**', '**/engine/**', '**/electron/**', '**/web/**', '**/cli/**', '**/renderer/**']) },
  { files: ['src/main/plant/**', 'src/main/eval/**', 'src/main/lexical/**', 'src/main/fusion/**'], rules: restrict(['electron', '**/services/**', '**/store/**', '**/electron/**', '**/web/**', '**/cli/**', '**/renderer/**']) },
  { files: ['src/main/services/**', 'src/main/jobs/**', 'src/main/app/**'], rules: restrict(['electron', '**/electron/**', '**/web/**', '**/cli/**', '**/renderer/**']) },
  { files: ['src/main/web/**', 'src/main/cli/**'], rules: restrict(['electron', '**/electron/**', '**/renderer/**']) },
  // SQL lives in the repositories of src/main/store (issue #16): nothing else in main, the benches
  // or the scripts prepares a statement, sets a pragma or opens a transaction, so every query is
  // named, tested and found in one place (a bench that measures the store calls its repositories).
  // `prepare`, `pragma` and `transaction` are banned by name (nothing else there is called that);
  // `exec` only on a receiver named like a connection (`db`, `store.db`, `stagingDb`), because
  // RegExp#exec is everywhere. Tests, their fixtures and src/main/testing are exempt: they seed and
  // inspect the tables directly so that they never check a repository through itself.
  // Kept self-contained. The last block that sets a rule for a file wins in a flat config, so any
  // other `no-restricted-syntax` selectors for these files must be merged into this block.
  {
    files: ['src/main/**', 'bench/**', 'scripts/**'],
    ignores: ['src/main/store/**', '**/*.test.ts', 'src/main/**/fixtures/**', 'src/main/testing/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...[
          'CallExpression[callee.property.name=/^(prepare|pragma|transaction)$/]',
          'CallExpression[callee.property.name="exec"][callee.object.name=/^(db|[A-Za-z]*Db)$/]',
          'CallExpression[callee.property.name="exec"][callee.object.property.name=/^(db|[A-Za-z]*Db)$/]',
        ].map((selector) => ({ selector, message: 'SQL belongs in a repository under src/main/store: add a named method there and call it.' })),
      ],
    },
  },
);
