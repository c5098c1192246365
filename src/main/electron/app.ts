import { app, BrowserWindow, ipcMain, session, shell, type WebContents } from 'electron';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { IPC_CALL_CHANNEL, IPC_EVENT_CHANNEL } from '../../shared/bridge';
import { dispatch } from '../app/dispatch';
import { appRoot, resourcesDir } from '../app/paths';
import { createServices, type Services } from '../app/services';
import { demoLanguageOf, ensureDemo } from '../services/demo';
import { spawnLexicalWorker, spawnTrainingWorker } from '../app/training-worker';
import { spawnStoreWorker } from '../app/store-worker';
import { ELECTRON_CSP, isTrustedSender, WEB_PREFERENCES } from './security-config';

// Everything the app writes is the coder's confidential work: private whatever the umask (issue #15).
process.umask(0o077);

let services: Services | null = null;
const devServerUrl = process.env.ELECTRON_RENDERER_URL;
const here = dirname(fileURLToPath(import.meta.url));
const rendererFile = join(here, '../renderer/index.html');
/** The only pages that may call the API or be navigated to (security-config.ts). */
const ownPages = { rendererUrl: pathToFileURL(rendererFile).href, devServerUrl };

function harden(contents: WebContents): void {
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the web open in the user's browser, never inside the app.
    if (/^https:\/\//.test(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (url !== contents.getURL()) event.preventDefault();
  });
  // Frames too (will-navigate sees only the main frame): an iframe may never load another page.
  contents.on('will-frame-navigate', (details) => {
    if (!isTrustedSender(details.url, ownPages)) details.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1360,
    height: 880,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: 'Planter',
    webPreferences: { ...WEB_PREFERENCES, preload: join(here, '../preload/index.cjs') },
  });
  harden(win.webContents);
  win.once('ready-to-show', () => win.show());
  if (devServerUrl) void win.loadURL(devServerUrl);
  else void win.loadFile(rendererFile);
  return win;
}

function electronNativeBinding(): string | undefined {
  // better-sqlite3 rebuilt for Electron's ABI by scripts/electron-native.mjs (Node's build stays for the CLI and tests).
  const candidate = join(appRoot(), '.electron-native', 'better_sqlite3.node');
  return existsSync(candidate) ? candidate : undefined;
}

async function start(): Promise<void> {
  await app.whenReady();
  session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  session.defaultSession.setPermissionCheckHandler(() => false);
  // The app downloads nothing: exports are written by the main side into the project folder.
  session.defaultSession.on('will-download', (event) => event.preventDefault());
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [ELECTRON_CSP] } });
  });
  const root = appRoot();
  services = createServices({
    // PLANTER_HOME lets tests (and users with several profiles) point the app at another data folder.
    dataDir: process.env.PLANTER_HOME ?? app.getPath('userData'),
    resourcesDir: app.isPackaged ? process.resourcesPath : resourcesDir(root),
    version: app.getVersion(),
    nativeDialogs: true,
    nativeBinding: electronNativeBinding(),
    spawnTrainingWorker,
    // The label-errors audit trains its folds' linear models in these threads, off the main process's loop.
    spawnLexicalWorker,
    spawnStoreWorker,
  });
  const s = services;
  ipcMain.handle(IPC_CALL_CHANNEL, (event, method: unknown, input: unknown) => {
    if (!event.senderFrame || !isTrustedSender(event.senderFrame.url, ownPages)) {
      return { ok: false, error: { code: 'unauthorized', message: 'calls are accepted only from the app window' } };
    }
    return dispatch(s.handlers, method, input, { transport: 'ipc', trusted: false });
  });
  s.events.on((name, payload) => {
    for (const win of BrowserWindow.getAllWindows()) win.webContents.send(IPC_EVENT_CHANNEL, name, payload);
  });
  ensureDemo(s.context, demoLanguageOf(process.env.PLANTER_DEMO_LANGUAGE));
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
}

app.on('web-contents-created', (_e, contents) => harden(contents));
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', (event) => {
  if (!services) return;
  event.preventDefault();
  const s = services;
  services = null;
  void s.dispose().finally(() => app.quit());
});

void start();
