import { z } from 'zod';

/**
 * Error codes that cross the process boundary. They are stable strings: the UI branches on them,
 * and Electron drops custom fields of thrown errors (electron/electron#24427), so errors travel as
 * data inside a `Reply`, never as exceptions.
 */
export const ErrorCode = z.enum([
  'invalid-input', // the payload failed the contract schema, or a value is out of range
  'unknown-method', // no such method in the contract
  'not-found', // a project, document, label, model or job that does not exist
  'conflict', // the operation clashes with the current state (e.g. a job already running)
  'bad-file', // an imported file is malformed; details name file, line and field
  'unavailable', // a capability this machine lacks (Electron binary, CUDA, tfjs-node)
  'unauthorized', // web host: missing or wrong token, foreign origin
  'too-large', // a request or upload over its size limit
  'cancelled', // the user cancelled; an outcome, not a failure
  'internal', // a bug: the stack is logged on the main side only
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

/** Where in an input the problem is: `labels.csv line 412: column "code" is empty`. */
export const ErrorDetails = z.object({
  file: z.string().optional(),
  line: z.number().int().optional(),
  field: z.string().optional(),
  path: z.array(z.union([z.string(), z.number()])).optional(),
});
export type ErrorDetails = z.infer<typeof ErrorDetails>;

export const WireError = z.object({
  code: ErrorCode,
  message: z.string(),
  details: ErrorDetails.optional(),
});
export type WireError = z.infer<typeof WireError>;

/** A user-facing error: thrown inside main, turned into a `WireError` at the boundary. */
export class PlanterError extends Error {
  readonly code: ErrorCode;
  readonly details: ErrorDetails | undefined;
  constructor(code: ErrorCode, message: string, details?: ErrorDetails) {
    super(message);
    this.name = 'PlanterError';
    this.code = code;
    this.details = details;
  }
  toWire(): WireError {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}

export function isPlanterError(e: unknown): e is PlanterError {
  return e instanceof PlanterError;
}

/** Formats details in front of a message the way every importer does: `file line 3, field "id": …`. */
export function locate(details: ErrorDetails): string {
  const parts: string[] = [];
  if (details.file) parts.push(details.file);
  if (details.line !== undefined) parts.push(`line ${details.line}`);
  if (details.field) parts.push(`field "${details.field}"`);
  return parts.join(', ');
}
