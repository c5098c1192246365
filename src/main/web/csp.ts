/**
 * The renderer's Content-Security-Policy, in one place: nothing but the app's own origin, no
 * inline script, no eval. Three forms of one list of directives:
 * - RENDERER_CSP: what the built index.html carries in its meta tag (electron.vite.config.ts puts
 *   it there) and what the Electron app sends as a header. A `file://` load may never see the
 *   header, so the meta must be the whole policy; `frame-ancestors` is ignored in a meta tag, so it
 *   is not in it (Electron frames nothing anyway).
 * - WEB_HOST_META_CSP: the same plus the loopback WebSocket the browser mode's events use; the
 *   web host writes it into the index.html it serves.
 * - WEB_HOST_CSP: the web host's header: the meta form plus `frame-ancestors 'none'` (no
 *   clickjacking of the browser tab).
 */
const BASE = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
];

const withSockets = (directives: string[]): string[] => directives.map((d) => (d === "connect-src 'self'" ? "connect-src 'self' ws://127.0.0.1:* ws://localhost:*" : d));

export const RENDERER_CSP = BASE.join('; ');
export const WEB_HOST_META_CSP = withSockets(BASE).join('; ');
export const WEB_HOST_CSP = [...withSockets(BASE), "frame-ancestors 'none'"].join('; ');

const META = /(<meta\s+http-equiv="Content-Security-Policy"\s+content=")[^"]*(")/;

/** The html with its CSP meta tag's policy replaced (there must be exactly one such tag). */
export function withMetaCsp(html: string, policy: string): string {
  if (!META.test(html)) throw new Error('index.html has no Content-Security-Policy meta tag');
  return html.replace(META, `$1${policy}$2`);
}
