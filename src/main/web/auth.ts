import type { IncomingMessage, ServerResponse } from 'node:http';
import { refuse } from './http-reply';
import { FailureLimiter, hostAndOriginOk, tokenOf, tokensEqual } from './security';

/**
 * Says whether a request may reach the API: our own Host and Origin, and the per-run token. With a
 * response it also answers the refusal (403 foreign, 429 too many wrong tokens, 401 no or wrong
 * token); a WebSocket upgrade passes `null` and answers itself.
 */
export type AuthGate = (req: IncomingMessage, res: ServerResponse | null) => boolean;

/** `port` is read on each request: it is known only once the server listens. */
export function createAuthGate(token: string, port: () => number): AuthGate {
  const limiter = new FailureLimiter();
  return (req, res) => {
    const address = req.socket.remoteAddress ?? '?';
    if (!hostAndOriginOk(req, port())) {
      if (res) refuse(res, 403, 'unauthorized', 'foreign Host or Origin');
      return false;
    }
    const given = tokenOf(req);
    // The right token always gets through: every local process shares 127.0.0.1, so blocking the
    // address would let any of them lock the real UI out by guessing wrong on purpose.
    if (given && tokensEqual(given, token)) return true;
    if (limiter.blocked(address)) {
      if (res) refuse(res, 429, 'unauthorized', 'too many requests with a wrong token; wait a minute');
      return false;
    }
    limiter.fail(address);
    if (res) refuse(res, 401, 'unauthorized', 'missing or wrong token');
    return false;
  };
}
