import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { WEB_HOST_CSP } from './csp';

export function newToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Compares digests so neither the length nor the content of the token leaks through timing. */
export function tokensEqual(given: string, expected: string): boolean {
  const a = createHash('sha256').update(given).digest();
  const b = createHash('sha256').update(expected).digest();
  return timingSafeEqual(a, b);
}

/** Bearer token from the Authorization header, or from the WebSocket subprotocol `planter.<token>`. */
export function tokenOf(req: IncomingMessage): string | null {
  const auth = req.headers.authorization;
  if (auth?.startsWith('Bearer ')) return auth.slice(7).trim();
  const protocols = req.headers['sec-websocket-protocol'];
  if (typeof protocols === 'string') {
    for (const p of protocols.split(',').map((x) => x.trim())) if (p.startsWith('planter.')) return p.slice(8);
  }
  return null;
}

/**
 * DNS-rebinding defence: the Host header must name the loopback address we bound, and a browser's
 * Origin (when sent) must be our own origin. A page on evil.example that resolves to 127.0.0.1
 * still sends its own Host and Origin, so it is refused even before the token check.
 */
export function hostAndOriginOk(req: IncomingMessage, port: number): boolean {
  // Node keeps the first of repeated Host/Origin headers and drops the rest; a request carrying two
  // is malformed (RFC 9110 §7.2) and is refused rather than judged by whichever copy Node kept.
  let hosts = 0;
  let origins = 0;
  for (let i = 0; i < req.rawHeaders.length; i += 2) {
    const name = req.rawHeaders[i]!.toLowerCase();
    if (name === 'host') hosts++;
    else if (name === 'origin') origins++;
  }
  if (hosts !== 1 || origins > 1) return false;
  const host = req.headers.host;
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`];
  if (!host || !allowedHosts.includes(host.toLowerCase())) return false;
  const origin = req.headers.origin;
  if (origin === undefined) return true; // non-browser clients (CLI, tests) send no Origin
  return allowedHosts.some((h) => origin.toLowerCase() === `http://${h}`);
}

/** Limits how fast one address may guess tokens: after `max` failures a minute, answer 429. */
export class FailureLimiter {
  readonly #failures = new Map<string, { count: number; since: number }>();
  constructor(
    readonly max = 20,
    readonly windowMs = 60_000,
  ) {}

  blocked(address: string, now = Date.now()): boolean {
    const f = this.#failures.get(address);
    if (!f) return false;
    if (now - f.since > this.windowMs) {
      this.#failures.delete(address);
      return false;
    }
    return f.count >= this.max;
  }

  fail(address: string, now = Date.now()): void {
    const f = this.#failures.get(address);
    if (!f || now - f.since > this.windowMs) this.#failures.set(address, { count: 1, since: now });
    else f.count++;
  }
}

/** The web host's header CSP (web/csp.ts has all three forms of the renderer's policy). */
export const CONTENT_SECURITY_POLICY = WEB_HOST_CSP;
