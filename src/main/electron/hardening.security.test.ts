/**
 * Electron hardening, asserted on the built app (issue #7). The Electron binary cannot run here, so
 * the built main bundle (out/main/index.js) is executed against a recording stand-in for the
 * `electron` module: every window, web-contents and session handler it installs is captured and then
 * attacked (window.open, navigation, webviews, permission requests, IPC from a foreign frame). The
 * built preload (out/preload/index.cjs) runs in a bare VM context whose `require` knows only
 * `electron`, as in a sandboxed renderer. The CSPs are parsed directive by directive.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/bridge';
import { CONTENT_SECURITY_POLICY } from '../web/security';
import { ensureBuilt, ROOT } from '../testing/reliability/service-process';
import { emptyTally, report } from '../testing/reliability/tally';
import { ELECTRON_CSP, isTrustedSender, WEB_PREFERENCES } from './security-config';

type Listener = (...args: unknown[]) => unknown;

/** What the stand-in `electron` module records. */
const rec = {
  windows: [] as { options: { webPreferences: Record<string, unknown> }; contents: FakeContents }[],
  appHandlers: new Map<string, Listener[]>(),
  ipc: new Map<string, Listener>(),
  ipcOn: [] as string[],
  permissionRequest: null as Listener | null,
  permissionCheck: null as Listener | null,
  headersReceived: null as Listener | null,
  sessionHandlers: new Map<string, Listener[]>(),
  openedExternally: [] as string[],
};

/** The built app's own page: the only one that may call the API (issue #15). */
const OWN_PAGE = pathToFileURL(join(ROOT, 'out', 'renderer', 'index.html')).href;

class FakeContents {
  readonly handlers = new Map<string, Listener[]>();
  windowOpenHandler: Listener | null = null;
  url = OWN_PAGE;
  setWindowOpenHandler(h: Listener): void {
    this.windowOpenHandler = h;
  }
  on(name: string, h: Listener): this {
    this.handlers.set(name, [...(this.handlers.get(name) ?? []), h]);
    return this;
  }
  getURL(): string {
    return this.url;
  }
  send(): void {}
  emit(name: string, ...args: unknown[]): void {
    for (const h of this.handlers.get(name) ?? []) h(...args);
  }
}

vi.mock('electron', () => {
  class BrowserWindow {
    static getAllWindows = (): unknown[] => rec.windows;
    webContents = new FakeContents();
    constructor(options: { webPreferences: Record<string, unknown> }) {
      rec.windows.push({ options, contents: this.webContents });
    }
    once(): void {}
    show(): void {}
    loadFile(): Promise<void> {
      return Promise.resolve();
    }
    loadURL(): Promise<void> {
      return Promise.resolve();
    }
  }
  const app = {
    whenReady: () => Promise.resolve(),
    on: (name: string, h: Listener) => {
      rec.appHandlers.set(name, [...(rec.appHandlers.get(name) ?? []), h]);
      return app;
    },
    getPath: () => process.env.PLANTER_HOME!,
    getVersion: () => '0.0.0-hardening',
    isPackaged: false,
    quit: () => undefined,
  };
  const session = {
    defaultSession: {
      setPermissionRequestHandler: (h: Listener) => (rec.permissionRequest = h),
      setPermissionCheckHandler: (h: Listener) => (rec.permissionCheck = h),
      webRequest: { onHeadersReceived: (h: Listener) => (rec.headersReceived = h) },
      on: (name: string, h: Listener) => rec.sessionHandlers.set(name, [...(rec.sessionHandlers.get(name) ?? []), h]),
    },
  };
  const ipcMain = {
    handle: (channel: string, h: Listener) => rec.ipc.set(channel, h),
    on: (channel: string) => rec.ipcOn.push(channel),
    handleOnce: (channel: string, h: Listener) => rec.ipc.set(channel, h),
  };
  const shell = { openExternal: (url: string) => rec.openedExternally.push(url) };
  return { app, BrowserWindow, ipcMain, session, shell, default: { app, BrowserWindow, ipcMain, session, shell } };
});

const tally = emptyTally();
let home: string;

beforeAll(async () => {
  ensureBuilt((m) => console.warn(`[hardening] ${m}`));
  home = mkdtempSync(join(tmpdir(), 'planter-hardening-'));
  // An existing demo project, so the app does not spend seconds building one.
  mkdirSync(join(home, 'projects', 'demo'), { recursive: true });
  writeFileSync(join(home, 'projects', 'demo', 'project.sqlite'), '');
  process.env.PLANTER_HOME = home;
  await import(/* @vite-ignore */ pathToFileURL(join(ROOT, 'out', 'main', 'index.js')).href);
  for (let i = 0; i < 100 && rec.windows.length === 0; i++) await new Promise((r) => setTimeout(r, 20));
});

afterAll(async () => {
  // The app's own shutdown: will-quit disposes the services.
  for (const h of rec.appHandlers.get('will-quit') ?? []) h({ preventDefault: () => undefined });
  await new Promise((r) => setTimeout(r, 200));
  delete process.env.PLANTER_HOME;
  rmSync(home, { recursive: true, force: true });
  report('electron-hardening', { unauthorized_accepted: tally.unauthorized_accepted });
});

/** Parses a CSP into directive → sources. */
function directives(csp: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const part of csp.split(';').map((p) => p.trim()).filter(Boolean)) {
    const [name, ...sources] = part.split(/\s+/);
    out.set(name!, sources);
  }
  return out;
}

/** Sources that stay on this machine: the app itself, inline data, and (web host only) loopback sockets. */
function remoteSources(csp: string, allowLoopbackSockets: boolean): string[] {
  const bad: string[] = [];
  for (const [name, sources] of directives(csp)) {
    for (const s of sources) {
      const local = ["'self'", "'none'"].includes(s) || (name === 'img-src' && ['data:', 'blob:'].includes(s)) || (name === 'style-src' && s === "'unsafe-inline'");
      const loopback = allowLoopbackSockets && name === 'connect-src' && /^ws:\/\/(127\.0\.0\.1|localhost):\*$/.test(s);
      if (!local && !loopback) bad.push(`${name} ${s}`);
    }
  }
  return bad;
}

function expectStrictCsp(csp: string, allowLoopbackSockets: boolean): void {
  const d = directives(csp);
  expect(remoteSources(csp, allowLoopbackSockets)).toEqual([]);
  expect(d.get('default-src')).toEqual(["'self'"]);
  expect(d.get('script-src')).toEqual(["'self'"]); // no inline script, no eval
  expect(d.get('object-src')).toEqual(["'none'"]);
  expect(d.get('base-uri')).toEqual(["'none'"]);
  expect(d.get('form-action')).toEqual(["'none'"]);
  expect(csp).not.toMatch(/unsafe-eval|https?:|wss:|(^|\s)\*(\s|;|$)/);
}

describe('BrowserWindow web preferences (built app)', () => {
  it('one window, created with exactly the hardened preferences plus the preload', () => {
    expect(rec.windows).toHaveLength(1);
    const prefs = rec.windows[0]!.options.webPreferences;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
    });
    const { preload, ...rest } = prefs;
    expect(rest).toEqual(WEB_PREFERENCES);
    expect(String(preload)).toMatch(/out[\\/]preload[\\/]index\.cjs$/);
    expect(existsSync(String(preload))).toBe(true);
  });

  it('no built main-side file turns a protection off', () => {
    const dir = join(ROOT, 'out', 'main');
    const files = readdirSync(dir, { recursive: true }).map(String).filter((f) => f.endsWith('.js'));
    const offending = /(contextIsolation|sandbox|webSecurity)\s*:\s*false|nodeIntegration(InWorker|InSubFrames)?\s*:\s*true|allowRunningInsecureContent\s*:\s*true|webviewTag\s*:\s*true|action\s*:\s*["']allow["']|enableRemoteModule/;
    for (const f of files) expect(readFileSync(join(dir, f), 'utf8'), f).not.toMatch(offending);
  });
});

describe('navigation, new windows and webviews (built app)', () => {
  const contents = (): FakeContents => rec.windows[0]!.contents;

  it('every window.open is denied; https links go to the system browser, nothing else does', () => {
    for (const url of ['https://example.org/', 'http://evil.example/', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank', 'planter://x', 'data:text/html,<script>1</script>']) {
      const answer = contents().windowOpenHandler!({ url, disposition: 'new-window' }) as { action: string };
      if (answer.action !== 'deny') tally.unauthorized_accepted++;
      expect(answer, url).toEqual({ action: 'deny' });
    }
    expect(rec.openedExternally).toEqual(['https://example.org/']);
  });

  it('navigating away is prevented; webviews are never attached', () => {
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'http://127.0.0.1:1/', 'file:///app/out/renderer/other.html']) {
      let prevented = false;
      contents().emit('will-navigate', { preventDefault: () => (prevented = true) }, url);
      if (!prevented) tally.unauthorized_accepted++;
      expect(prevented, url).toBe(true);
    }
    let prevented = false;
    contents().emit('will-attach-webview', { preventDefault: () => (prevented = true) }, {}, {});
    expect(prevented).toBe(true);
  });

  it('no frame navigates to another page (will-frame-navigate): only the app\'s own page loads (issue #15)', () => {
    const navigate = (url: string, isMainFrame: boolean): boolean => {
      let prevented = false;
      contents().emit('will-frame-navigate', { url, isMainFrame, preventDefault: () => (prevented = true) });
      return prevented;
    };
    for (const url of ['https://evil.example/', 'file:///etc/passwd', 'file:///tmp/x/out/renderer/index.html', 'data:text/html,<b>x</b>', 'http://127.0.0.1:1/']) {
      for (const main of [true, false]) {
        const prevented = navigate(url, main);
        if (!prevented) tally.unauthorized_accepted++;
        expect(prevented, `${url} (main frame: ${main})`).toBe(true);
      }
    }
    expect(navigate(`${OWN_PAGE}#/annotate`, true)).toBe(false);
  });

  it('every download is refused (will-download): the app never saves what a page offers (issue #15)', () => {
    const handlers = rec.sessionHandlers.get('will-download') ?? [];
    expect(handlers).toHaveLength(1);
    let prevented = false;
    handlers[0]!({ preventDefault: () => (prevented = true) }, { getURL: () => 'https://evil.example/x.exe' });
    if (!prevented) tally.unauthorized_accepted++;
    expect(prevented).toBe(true);
  });

  it('web contents created later (e.g. a devtools or a child frame host) get the same guards', () => {
    const later = new FakeContents();
    for (const h of rec.appHandlers.get('web-contents-created') ?? []) h({}, later);
    expect((later.windowOpenHandler!({ url: 'https://x.example/' }) as { action: string }).action).toBe('deny');
    let prevented = false;
    later.emit('will-navigate', { preventDefault: () => (prevented = true) }, 'https://evil.example/');
    expect(prevented).toBe(true);
  });
});

describe('permissions and CSP (built app)', () => {
  it('every permission request is denied and every permission check fails', () => {
    const permissions = ['media', 'geolocation', 'notifications', 'midi', 'midiSysex', 'pointerLock', 'fullscreen', 'openExternal', 'clipboard-read', 'clipboard-sanitized-write', 'display-capture', 'hid', 'serial', 'usb', 'idle-detection', 'storage-access', 'unknown'];
    for (const p of permissions) {
      let granted: unknown = 'no answer';
      rec.permissionRequest!({}, p, (ok: unknown) => (granted = ok), {});
      if (granted !== false) tally.unauthorized_accepted++;
      expect(granted, p).toBe(false);
      expect(rec.permissionCheck!({}, p, 'file://', {}), p).toBe(false);
    }
  });

  it('every response gets the strict CSP header, replacing whatever the response said', () => {
    let answer: { responseHeaders: Record<string, string[]> } | null = null;
    rec.headersReceived!({ responseHeaders: { 'Content-Security-Policy': ["default-src *"], 'X-Other': ['1'] } }, (a: typeof answer) => (answer = a));
    expect(answer!.responseHeaders['Content-Security-Policy']).toEqual([ELECTRON_CSP]);
    expect(answer!.responseHeaders['X-Other']).toEqual(['1']);
  });

  it('the Electron CSP allows nothing remote, not even loopback sockets', () => expectStrictCsp(ELECTRON_CSP, false));
  it("the web host's CSP allows nothing remote (loopback WebSocket for events only)", () => expectStrictCsp(CONTENT_SECURITY_POLICY, true));
  it("the built renderer's own meta CSP is exactly the main process's CSP, and allows nothing remote (issue #15)", () => {
    const html = readFileSync(join(ROOT, 'out', 'renderer', 'index.html'), 'utf8');
    const metas = [...html.matchAll(/http-equiv="Content-Security-Policy"\s+content="([^"]+)"/g)];
    expect(metas).toHaveLength(1);
    // A file:// load may never see the header: the meta tag must be the whole policy.
    expect(metas[0]![1]).toBe(ELECTRON_CSP);
    expectStrictCsp(metas[0]![1]!, false);
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
    expect(html).not.toMatch(/(src|href)="(https?:)?\/\//); // nothing loaded from elsewhere
  });
});

describe('IPC (built app)', () => {
  it('only the two planter channels exist, and calls from a foreign frame are refused', async () => {
    expect([...rec.ipc.keys()]).toEqual([IPC_CALL_CHANNEL]);
    expect(rec.ipcOn).toEqual([]); // no synchronous or fire-and-forget channels
    const handler = rec.ipc.get(IPC_CALL_CHANNEL)!;
    // Any file:// page other than the app's own is foreign too (a file a coder opened, issue #15).
    const foreignFiles = ['file:///app/out/renderer/index.html', 'file:///etc/passwd', OWN_PAGE.replace('index.html', 'other.html'), `${OWN_PAGE.replace(/\/out\//, '/out/../elsewhere/')}`, 'file://evil-host/share/index.html'];
    for (const url of ['https://evil.example/', 'http://localhost:5173/', 'about:blank', '', ...foreignFiles]) {
      const reply = (await handler({ senderFrame: { url } }, 'projects.create', { id: 'pwned', name: 'x' })) as { ok: boolean; error?: { code: string } };
      if (reply.ok) tally.unauthorized_accepted++;
      expect(reply, url).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    const noFrame = (await handler({ senderFrame: null }, 'app.info', {})) as { ok: boolean };
    expect(noFrame.ok).toBe(false);
    expect(existsSync(join(home, 'projects', 'pwned'))).toBe(false);
    const own = (await handler({ senderFrame: { url: `${OWN_PAGE}#/annotate` } }, 'app.info', {})) as { ok: boolean; value: { transport: string } };
    expect(own).toMatchObject({ ok: true, value: { transport: 'ipc' } });
  });

  it('the dev-server check compares origins, not string prefixes', () => {
    const dev = { rendererUrl: OWN_PAGE, devServerUrl: 'http://localhost:5173' };
    expect(isTrustedSender('http://localhost:5173/index.html', dev)).toBe(true);
    expect(isTrustedSender('http://localhost:5173.evil.example/', dev)).toBe(false);
    expect(isTrustedSender('http://localhost:51730/', dev)).toBe(false);
    expect(isTrustedSender('http://localhost:5173@evil.example/', dev)).toBe(false);
    expect(isTrustedSender('http://localhost:5173/', { rendererUrl: OWN_PAGE })).toBe(false);
    expect(isTrustedSender('not a url', dev)).toBe(false);
  });

  it('a file:// sender must be the app\'s own index.html (issue #15: any file:// frame passed)', () => {
    const own = { rendererUrl: 'file:///opt/planter/out/renderer/index.html' };
    expect(isTrustedSender('file:///opt/planter/out/renderer/index.html', own)).toBe(true);
    expect(isTrustedSender('file:///opt/planter/out/renderer/index.html#/train', own)).toBe(true);
    expect(isTrustedSender('file:///opt/planter/out/renderer/other.html', own)).toBe(false);
    expect(isTrustedSender('file:///home/coder/Downloads/index.html', own)).toBe(false);
    expect(isTrustedSender('file:///opt/planter/out/renderer/%2e%2e/index.html', own)).toBe(false);
    expect(isTrustedSender('file://remote/opt/planter/out/renderer/index.html', own)).toBe(false);
    expect(isTrustedSender('file:///opt/planter/out/renderer/index.html%', own)).toBe(false);
  });
});

describe('the preload (built, sandboxed)', () => {
  interface Exposed {
    name: string;
    api: Record<string, unknown>;
  }
  function loadPreload(): { exposed: Exposed[]; invoked: unknown[][]; listeners: Map<string, Listener[]>; required: string[] } {
    const exposed: Exposed[] = [];
    const invoked: unknown[][] = [];
    const listeners = new Map<string, Listener[]>();
    const required: string[] = [];
    const electron = {
      contextBridge: { exposeInMainWorld: (name: string, api: Record<string, unknown>) => exposed.push({ name, api }) },
      ipcRenderer: {
        invoke: (...args: unknown[]) => {
          invoked.push(args);
          return Promise.resolve({ ok: true, value: null });
        },
        on: (channel: string, h: Listener) => listeners.set(channel, [...(listeners.get(channel) ?? []), h]),
        removeListener: (channel: string, h: Listener) => listeners.set(channel, (listeners.get(channel) ?? []).filter((x) => x !== h)),
      },
    };
    const code = readFileSync(join(ROOT, 'out', 'preload', 'index.cjs'), 'utf8');
    const module = { exports: {} };
    // A sandboxed preload gets a `require` that knows `electron` (and a few polyfills), nothing else.
    const require = (name: string): unknown => {
      required.push(name);
      if (name === 'electron') return electron;
      throw new Error(`a sandboxed preload cannot require ${name}`);
    };
    runInNewContext(code, { require, module, exports: module.exports, console, Promise, Object, Array, Symbol, Error, Map, Set, JSON, RegExp, String, Number, Boolean, Math, Date }, { filename: 'preload/index.cjs' });
    return { exposed, invoked, listeners, required };
  }

  it('requires only electron and exposes one object with exactly call and on', () => {
    const { exposed, required } = loadPreload();
    expect([...new Set(required)]).toEqual(['electron']);
    expect(exposed.map((e) => e.name)).toEqual(['planter']);
    expect(Object.keys(exposed[0]!.api).sort()).toEqual(['call', 'on']);
    expect(Object.values(exposed[0]!.api).every((f) => typeof f === 'function')).toBe(true);
  });

  it('call forwards only contract methods; on subscribes only to contract events and unsubscribes', async () => {
    const { exposed, invoked, listeners } = loadPreload();
    const api = exposed[0]!.api as { call: (m: unknown, i: unknown) => Promise<{ ok: boolean; error?: { code: string } }>; on: (e: unknown, l: Listener) => () => void };
    for (const bad of ['__proto__', 'constructor', 'toString', 'ipcRenderer.send', 'projects.create.x', '', 42, null]) {
      const reply = await api.call(bad, {});
      expect(reply, String(bad)).toMatchObject({ ok: false, error: { code: 'unknown-method' } });
    }
    expect(invoked).toEqual([]);
    await api.call('app.info', {});
    expect(invoked).toEqual([[IPC_CALL_CHANNEL, 'app.info', {}]]);
    const noop = api.on('not.an.event', () => undefined);
    expect(listeners.size).toBe(0);
    noop();
    const got: unknown[] = [];
    const off = api.on('jobs.progress', (p) => got.push(p));
    const [h] = listeners.get(IPC_EVENT_CHANNEL)!;
    h!({}, 'jobs.finished', { x: 1 });
    h!({}, 'jobs.progress', { x: 2 });
    expect(got).toEqual([{ x: 2 }]);
    off();
    expect(listeners.get(IPC_EVENT_CHANNEL)).toEqual([]);
  });
});
