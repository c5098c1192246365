import { isMethod, methods, type Method, type Output, type Reply } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import { loneSurrogatePath } from '../../shared/unicode';
import type { CallContext, Handlers } from '../core/handlers';
import { describeIssues, toWireError } from '../core/wire-error';

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
