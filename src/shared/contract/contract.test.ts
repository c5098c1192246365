import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { events, isEventName, isMethod, methodNames, methods, type EventName } from './index';
import { testSchema, type Example } from './example-tests';

const progress = { jobId: 'job-a1', projectId: 'demo', kind: 'train', phase: 'finetune', done: 3, total: 10, unit: 'step', metrics: { loss: 0.5 } };
const finished = { jobId: 'job-a1', projectId: 'demo', kind: 'export', outcome: 'done', durationMs: 1_250 };
const eventExamples: { [E in EventName]: Example } = {
  'jobs.progress': { valid: progress, invalid: { ...progress, total: -10 }, path: ['total'] },
  'jobs.finished': { valid: finished, invalid: { ...finished, outcome: 'succeeded' }, path: ['outcome'] },
  'projects.changed': { valid: { projectId: 'demo', what: 'annotations' }, invalid: { projectId: 'demo', what: 'settings' }, path: ['what'] },
  'queue.reordered': { valid: { projectId: 'demo', strategy: 'rare-first' }, invalid: { projectId: 'demo', strategy: 'fastest' }, path: ['strategy'] },
};

/** The contract's modules (not this index, not tests), and which of them have a test file beside them. */
const modules = import.meta.glob<Record<string, unknown>>(['./*.ts', '!./index.ts', '!./*.test.ts', '!./example-tests.ts'], { eager: true });
const testFiles = new Set(Object.keys(import.meta.glob('./*.test.ts')));
const hasTest = (module: string) => testFiles.has(module.replace(/\.ts$/, '.test.ts'));

/** The module whose exported method table holds this very method spec. */
function ownerOf(method: string): string | undefined {
  const spec = (methods as Record<string, unknown>)[method];
  return Object.entries(modules).find(([, exports]) =>
    Object.values(exports).some((value) => typeof value === 'object' && value !== null && !(value instanceof z.ZodType) && (value as Record<string, unknown>)[method] === spec),
  )?.[0];
}

describe('shared contract', () => {
  it('names every method area.verb', () => {
    for (const name of methodNames) expect(name).toMatch(/^[a-z]+\.[a-z][A-Za-z]*$/);
  });

  it('declares every method in a contract module that has its own table-driven test', () => {
    // Each module's test checks its table method by method (testMethods); this finds a method
    // that no module's test can see: declared in the index itself, or in a module without a test.
    const untested = methodNames.filter((name) => {
      const owner = ownerOf(name);
      return owner === undefined || !hasTest(owner);
    });
    expect(untested).toEqual([]);
  });

  it('tests every contract module that exports a schema', () => {
    const withSchemas = Object.entries(modules)
      .filter(([, exports]) => Object.values(exports).some((value) => value instanceof z.ZodType))
      .map(([path]) => path);
    expect(withSchemas.length).toBeGreaterThan(10);
    expect(withSchemas.filter((path) => !hasTest(path))).toEqual([]);
  });

  describe('events', () => {
    it('has examples for every event', () => expect(Object.keys(eventExamples).sort()).toEqual(Object.keys(events).sort()));
    for (const name of Object.keys(events) as EventName[]) testSchema(name, events[name], eventExamples[name]);
  });

  it('isMethod and isEventName ignore prototype keys', () => {
    expect(isMethod('toString')).toBe(false);
    expect(isMethod('__proto__')).toBe(false);
    expect(isMethod('app.info')).toBe(true);
    expect(isEventName('constructor')).toBe(false);
    expect(isEventName('jobs.finished')).toBe(true);
  });
});
