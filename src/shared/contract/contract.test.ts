import { describe, expect, it } from 'vitest';
import { events, FieldMapping, isMethod, methodNames, methods, ProjectId } from './index';

describe('shared contract', () => {
  it('declares every method with an input and an output schema, named area.verb', () => {
    expect(methodNames.length).toBeGreaterThan(10);
    for (const name of methodNames) {
      expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
      expect(typeof methods[name].input.safeParse).toBe('function');
      expect(typeof methods[name].output.safeParse).toBe('function');
    }
  });

  it('parses documented examples', () => {
    expect(methods['projects.create'].input.parse({ id: 'cardio-2026', name: 'Cardiology' })).toEqual({ id: 'cardio-2026', name: 'Cardiology' });
    expect(FieldMapping.parse({})).toEqual({ textField: 'text', extraTextFields: [], labelSeparator: ';' });
    expect(methods['imports.corpus'].input.parse({ projectId: 'p', source: { uploadId: 'up-0123456789' }, format: 'jsonl' }).mapping.textField).toBe('text');
    expect(events['jobs.progress'].parse({ jobId: 'job-a1', projectId: 'p', kind: 'train', phase: 'finetune', done: 3, total: 10, unit: 'step', metrics: { loss: 0.5 } }).done).toBe(3);
  });

  it('rejects ids that could escape a folder', () => {
    for (const bad of ['../x', 'a/b', 'A', '', '-x', 'x'.repeat(64)]) expect(ProjectId.safeParse(bad).success).toBe(false);
  });

  it('isMethod ignores prototype keys', () => {
    expect(isMethod('toString')).toBe(false);
    expect(isMethod('__proto__')).toBe(false);
    expect(isMethod('app.info')).toBe(true);
  });
});
