// The Electron security settings in one plain module (no electron import), so a test can assert
// them against the built app without starting Electron.
import { CONTENT_SECURITY_POLICY } from '../web/security';

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

/** The packaged renderer is loaded from disk; its CSP forbids every remote origin. */
export const ELECTRON_CSP = CONTENT_SECURITY_POLICY.replace(" ws://127.0.0.1:* ws://localhost:*", '');

/** Only the app's own pages may call the API: file:// in production, the dev server in development. */
export function isTrustedSender(url: string, devServerUrl: string | undefined): boolean {
  if (url.startsWith('file://')) return true;
  if (!devServerUrl) return false;
  // Origins, not string prefixes: "http://localhost:5173" must not also admit
  // http://localhost:5173.evil.example or http://localhost:51730.
  try {
    return new URL(url).origin === new URL(devServerUrl).origin;
  } catch {
    return false;
  }
}
