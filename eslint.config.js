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
  { files: ['src/main/plant/**', 'src/main/eval/**', 'src/main/lexical/**', 'src/main/fusion/**', 'src/main/label-errors/**'], rules: restrict(['electron', '**/services/**', '**/store/**', '**/electron/**', '**/web/**', '**/cli/**', '**/renderer/**']) },
  { files: ['src/main/services/**', 'src/main/jobs/**', 'src/main/app/**'], rules: restrict(['electron', '**/electron/**', '**/web/**', '**/cli/**', '**/renderer/**']) },
  { files: ['src/main/web/**', 'src/main/cli/**'], rules: restrict(['electron', '**/electron/**', '**/renderer/**']) },
);
