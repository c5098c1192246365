// The Electron security settings in one plain module (no electron import), so a test can assert
// them against the built app without starting Electron.
import { RENDERER_CSP } from '../web/csp';

export const WEB_PREFERENCES = {
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  nodeIntegrationInSubFrames: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  experimentalFeatures: false,
  webviewTag: false,
  spellcheck: false,
  navigateOnDragDrop: false,
} as const;

/**
 * The packaged renderer is loaded from disk; its CSP forbids every remote origin. It is exactly
 * the policy in the built index.html's meta tag (a `file://` load may never see a header).
 */
export const ELECTRON_CSP = RENDERER_CSP;

export interface TrustedPages {
  /** file:// URL of the app's own index.html (the packaged renderer). */
  rendererUrl: string;
  /** The dev server's URL in development. */
  devServerUrl?: string | undefined;
}

/**
 * Only the app's own page may call the API: its index.html in production (not any `file://` page:
 * a file a coder opened, or one an attacker left in Downloads, must not reach the services), the
 * dev server's origin in development.
 */
export function isTrustedSender(url: string, pages: TrustedPages): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol === 'file:') {
    const own = new URL(pages.rendererUrl);
    // The hash is the view ("#/annotate"); the query is unused; the file itself must be ours.
    try {
      return own.protocol === 'file:' && parsed.host === own.host && decodeURIComponent(parsed.pathname) === decodeURIComponent(own.pathname);
    } catch {
      return false; // a malformed escape is not our page
    }
  }
  const devServerUrl = pages.devServerUrl;
  if (!devServerUrl) return false;
  // Origins, not string prefixes: "http://localhost:5173" must not also admit
  // http://localhost:5173.evil.example or http://localhost:51730.
  try {
    return new URL(url).origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}
