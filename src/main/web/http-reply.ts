import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Reply } from '../../shared/contract';
import type { ErrorCode } from '../../shared/errors';

/** A JSON answer that no cache keeps. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers });
  res.end(text);
}

/** A refusal in the shape of a failed `Reply`, so the renderer's transport reads it like any other error. */
export function refuse(res: ServerResponse, status: number, code: ErrorCode, message: string): void {
  sendJson(res, status, { ok: false, error: { code, message } } satisfies Reply<never>);
}

/** The request body, or `'too-large'` once it passes `limit` bytes (declared or streamed). */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too-large'> {
  return new Promise((resolveBody, reject) => {
    const declared = Number(req.headers['content-length'] ?? '0');
    if (declared > limit) {
      req.resume();
      resolveBody('too-large');
      return;
    }
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolveBody(over ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
