import { isMethod, methods, type Method, type Output, type ParsedInput, type Reply, type Transport } from '../../shared/contract';
import { PlanterError, type WireError } from '../../shared/errors';
import { loneSurrogatePath } from '../../shared/unicode';
import type { z } from 'zod';

/** Who is calling. Only in-process callers (the CLI) may name paths on disk. */
export interface CallContext {
  transport: Transport;
  /** True for the in-process CLI; false for anything that arrives over IPC or HTTP. */
  trusted: boolean;
}

export type Handlers = { [M in Method]: (input: ParsedInput<M>, ctx: CallContext) => Promise<Output<M>> };

/** Formats zod issues as `field.path: message; …` so the UI can show what was wrong where. */
export function describeIssues(error: z.ZodError): { message: string; path: (string | number)[] } {
  const first = error.issues[0];
  const message = error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
  return { message, path: (first?.path ?? []).map((p) => (typeof p === 'symbol' ? String(p) : p)) };
}

export function toWireError(e: unknown, method: string): WireError {
  if (e instanceof PlanterError) return e.toWire();
  // A bug: the stack stays in the main-side log; the UI gets a stable code.
  console.error(`internal error in ${method}:`, e);
  return { code: 'internal', message: `internal error in ${method}: ${e instanceof Error ? e.message : String(e)}` };
}

/**
 * The one entry point of every transport: validates the method name and the payload against the
 * shared contract, runs the handler, and always answers with a `Reply` (never throws).
 */
export async function dispatch(handlers: Handlers, method: unknown, raw: unknown, ctx: CallContext): Promise<Reply<unknown>> {
  if (!isMethod(method)) {
    return { ok: false, error: { code: 'unknown-method', message: `unknown method ${JSON.stringify(String(method)).slice(0, 80)}` } };
  }
  const surrogate = loneSurrogatePath(raw);
  if (surrogate) {
    const field = surrogate.path.join('.') || '(input)';
    return { ok: false, error: { code: 'invalid-input', message: `${method}: ${field} ${surrogate.problem}`, details: { path: surrogate.path } } };
  }
  const parsed = methods[method].input.safeParse(raw ?? {});
  if (!parsed.success) {
    const { message, path } = describeIssues(parsed.error);
    return { ok: false, error: { code: 'invalid-input', message: `${method}: ${message}`, details: { path } } };
  }
  try {
    const handler = handlers[method] as (input: unknown, ctx: CallContext) => Promise<unknown>;
    const value = await handler(parsed.data, ctx);
    return { ok: true, value };
  } catch (e) {
    return { ok: false, error: toWireError(e, method) };
  }
}

/** For in-process callers: dispatch and unwrap, throwing a PlanterError on failure. */
export async function call<M extends Method>(handlers: Handlers, method: M, input: unknown, ctx: CallContext): Promise<Output<M>> {
  const reply = await dispatch(handlers, method, input, ctx);
  if (!reply.ok) throw new PlanterError(reply.error.code, reply.error.message, reply.error.details);
  return reply.value as Output<M>;
}
