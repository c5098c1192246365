import { describe } from 'vitest';
import { testMethods, testSchemas } from './example-tests';
import * as guidelines from './guidelines';

const written = { text: '# Coding rules\n\n- Code **confirmed** diagnoses only.', updatedAt: '2026-12-02T05:10:00.000Z', author: null };

describe('guidelines contract', () => {
  testSchemas(guidelines, {
    Guidelines: { valid: written, invalid: { ...written, updatedAt: 17 }, path: ['updatedAt'] },
  });
  testMethods(guidelines.guidelineMethods, {
    'guidelines.get': {
      input: { valid: { projectId: 'demo' }, invalid: { projectId: 'Demo Project' }, path: ['projectId'] },
      output: { valid: { text: '', updatedAt: null, author: null }, invalid: { text: null, updatedAt: null, author: null }, path: ['text'] },
    },
    'guidelines.set': {
      input: { valid: { projectId: 'demo', text: written.text }, invalid: { projectId: 'demo', text: 'x'.repeat(guidelines.GUIDELINES_MAX_CHARS + 1) }, path: ['text'], code: 'too_big' },
      output: { valid: written, invalid: { ...written, text: undefined }, path: ['text'] },
    },
  });
});
