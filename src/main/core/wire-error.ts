import { PlanterError, type WireError } from '../../shared/errors';
import type { z } from 'zod';

/** Formats zod issues as `field.path: message; …` so the UI can show what was wrong where. */
export function describeIssues(error: z.ZodError): { message: string; path: (string | number)[] } {
  const first = error.issues[0];
  const message = error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.join('.') : '(input)'}: ${i.message}`)
    .join('; ');
  return { message, path: (first?.path ?? []).map((p) => (typeof p === 'symbol' ? String(p) : p)) };
}

/** What a failed call or job sends over the wire: a user error as it is, anything else as `internal`. */
export function toWireError(e: unknown, method: string): WireError {
  if (e instanceof PlanterError) return e.toWire();
  // A bug: the stack stays in the main-side log; the UI gets a stable code.
  console.error(`internal error in ${method}:`, e);
  return { code: 'internal', message: `internal error in ${method}: ${e instanceof Error ? e.message : String(e)}` };
}
