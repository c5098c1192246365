/**
 * Table-driven contract tests (test support, imported only by `*.test.ts`). Every schema of the
 * contract gets one realistic value it must accept and one it must refuse, and the refusal must
 * point at the field that is wrong: a schema that refused everything, or refused for another
 * reason than the one meant, would still fail `success === false` checks and pass them.
 */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { MethodTable } from './common';

export interface Example {
  valid: unknown;
  invalid: unknown;
  /** zod's `issues[0].path` for `invalid`: the field that makes it wrong. */
  path: PropertyKey[];
  /**
   * zod's `issues[0].code`. Required where `path` is empty: a refusal at the root (a stray key, a
   * value of an enum or a pattern) says nothing about why without it.
   */
  code?: string;
}

/** Examples for every method of one area's table: a missing or stray method is a type error. */
export type MethodExamples<T extends MethodTable> = { [M in keyof T]: { input: Example; output: Example } };

type SchemaNames<Module> = { [K in keyof Module]: Module[K] extends z.ZodType ? K : never }[keyof Module];

/**
 * Examples for every schema a contract module exports, except those `Skipped` (named with a reason
 * in `testSchemas`): a new exported schema without examples is a type error.
 */
export type SchemaExamples<Module, Skipped extends string = never> = { [K in Exclude<SchemaNames<Module>, Skipped>]: Example };

export function testSchema(name: string, schema: z.ZodType, example: Example): void {
  it(`${name} accepts a valid example`, () => {
    const parsed = schema.safeParse(example.valid);
    expect(parsed.error?.issues ?? []).toEqual([]);
  });
  it(`${name} refuses an invalid one at [${example.path.map(String).join(', ')}]`, () => {
    const parsed = schema.safeParse(example.invalid);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(example.path);
    if (example.path.length === 0) expect(example.code, 'a refusal at the root names its issue code').toBeDefined();
    if (example.code !== undefined) expect(parsed.error?.issues[0]?.code).toBe(example.code);
  });
}

function sameKeys(actual: string[], expected: string[]): void {
  expect([...actual].sort()).toEqual([...expected].sort());
}

/** Each method's input and output against its examples, and a check that no method lacks them. */
export function testMethods<T extends MethodTable>(table: T, examples: MethodExamples<T>): void {
  describe('methods', () => {
    it('has examples for every method of the area', () => sameKeys(Object.keys(examples), Object.keys(table)));
    for (const [name, spec] of Object.entries(table)) {
      const example = (examples as Record<string, { input: Example; output: Example } | undefined>)[name];
      if (!example) continue; // reported by the completeness check above
      testSchema(`${name} input`, spec.input, example.input);
      testSchema(`${name} output`, spec.output, example.output);
    }
  });
}

/** The module's exported schemas against their examples; `skipped` names the ones left out, and why. */
export function testSchemas<Module extends object, Skipped extends string = never>(
  module: Module,
  examples: SchemaExamples<Module, Skipped>,
  skipped: Record<Skipped, string> = {} as Record<Skipped, string>,
): void {
  const exported = Object.entries(module).filter(([, value]) => value instanceof z.ZodType) as [string, z.ZodType][];
  describe('exported schemas', () => {
    it('has examples for every exported schema', () => {
      sameKeys(Object.keys(examples), exported.map(([name]) => name).filter((name) => !(name in skipped)));
    });
    for (const [name, schema] of exported) {
      const example = (examples as Record<string, Example | undefined>)[name];
      if (example) testSchema(name, schema, example);
    }
  });
}
