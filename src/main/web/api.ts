import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';
import { dispatch } from '../app/dispatch';
import type { Handlers } from '../core/handlers';
import { readBody, refuse, sendJson } from './http-reply';

/**
 * The HTTP status of a failed call, by error code. A `Record` so a new code cannot ship without
 * one. The body is the `Reply` either way; the status is for proxies, logs and curl users.
 */
export const HTTP_STATUS: Record<ErrorCode, number> = {
  'invalid-input': 400,
  'unknown-method': 404,
  'not-found': 404,
  conflict: 400,
  'bad-file': 400,
  unavailable: 400,
  // From a handler, not the token check: e.g. a path on disk named over the network.
  unauthorized: 403,
  'too-large': 400,
  cancelled: 400,
  internal: 500,
};

export function httpStatusOf(reply: Reply<unknown>): number {
  return reply.ok ? 200 : HTTP_STATUS[reply.error.code];
}

const CALL_PATH = /^\/api\/call\/([a-z][A-Za-z.]{1,60})$/;

/** `POST /api/call/<method>` with a JSON body → the same `dispatch` as every other transport. */
export function createApi(handlers: Handlers, maxBodyBytes: number): (req: IncomingMessage, res: ServerResponse, pathname: string) => Promise<void> {
  return async (req, res, pathname) => {
    const match = CALL_PATH.exec(pathname);
    if (!match || req.method !== 'POST') return refuse(res, 404, 'unknown-method', `no such endpoint: ${req.method} ${pathname}`);
    const body = await readBody(req, maxBodyBytes);
    if (body === 'too-large') return refuse(res, 413, 'too-large', `request body over ${maxBodyBytes} bytes`);
    let input: unknown;
    try {
      input = body.length ? JSON.parse(body.toString('utf8')) : {};
    } catch {
      return refuse(res, 400, 'invalid-input', 'request body is not valid JSON');
    }
    const reply = await dispatch(handlers, match[1], input, { transport: 'http', trusted: false });
    sendJson(res, httpStatusOf(reply), reply);
  };
}
