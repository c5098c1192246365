import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { WEB_HOST_META_CSP, withMetaCsp } from './csp';
import { CONTENT_SECURITY_POLICY, hostAndOriginOk } from './security';

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * Serves the built renderer from `staticDir`: public (no token), but only GET/HEAD, only our own
 * Host and Origin, and never a file outside that folder. `port` is read on each request.
 */
export function createStaticFiles(staticDir: string, port: () => number): (req: IncomingMessage, res: ServerResponse) => void {
  const staticRoot = resolve(staticDir);
  return (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if (!hostAndOriginOk(req, port())) {
      res.writeHead(403).end();
      return;
    }
    let urlPath: string;
    try {
      urlPath = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    } catch {
      // A malformed escape ("/%c0%ae", "/%") is the client's error, not a server failure.
      res.writeHead(400, { 'content-type': 'text/plain' }).end('bad request');
      return;
    }
    const rel = normalize(urlPath === '/' ? '/index.html' : urlPath);
    const file = join(staticRoot, rel);
    if (!file.startsWith(staticRoot + sep) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, {
      'content-type': MIME[extname(file)] ?? 'application/octet-stream',
      'content-security-policy': CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'cache-control': 'no-cache',
    });
    if (req.method === 'HEAD') res.end();
    // The page's own meta policy is the Electron one (no sockets): browser mode's events need the loopback WebSocket.
    else if (extname(file) === '.html' && /<meta\s+http-equiv="Content-Security-Policy"/.test(readFileSync(file, 'utf8'))) res.end(withMetaCsp(readFileSync(file, 'utf8'), WEB_HOST_META_CSP));
    else createReadStream(file).pipe(res);
  };
}
