/**
 * Test harness: the main-side services in a child process, exactly as `planter serve` runs them
 * (built CLI, web host, training in a worker thread), driven over HTTP with the per-run token and
 * killed with SIGKILL. Used by the crash, concurrency and scale suites; never by production code.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, statSync, readdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import type { Reply } from '../../../shared/contract';
import { appRoot } from '../../app/paths';

export const ROOT = appRoot();
export const CLI = join(ROOT, 'bin', 'planter.mjs');
const BUILT = [join(ROOT, 'out', 'main', 'cli.js'), join(ROOT, 'out', 'renderer', 'index.html')];

/** Newest modification time under a folder (ms); 0 when it does not exist. */
function newestMtime(dir: string): number {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    // Tests and test harnesses are not part of the build.
    if (!entry.isFile() || /\.test\.ts$/.test(entry.name) || /[\\/]testing([\\/]|$)/.test(entry.parentPath)) continue;
    newest = Math.max(newest, statSync(join(entry.parentPath, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * The child runs the built app (`out/`), not the sources: builds it when missing, and says so when
 * `src/main` is newer than the build (the suites then test yesterday's code). `npm test` and
 * `npm run test:reliability` build first.
 */
export function ensureBuilt(log: (msg: string) => void = () => undefined): void {
  if (BUILT.every((f) => existsSync(f))) {
    const src = Math.max(newestMtime(join(ROOT, 'src', 'main')), newestMtime(join(ROOT, 'src', 'shared')));
    const out = statSync(BUILT[0]!).mtimeMs;
    if (src > out + 1000) log(`warning: src/ is newer than out/ (built ${new Date(out).toISOString()}); run \`npx electron-vite build\` to test the current code`);
    return;
  }
  // Several suites may get here at once (vitest runs files in parallel): one builds, the others wait.
  const lock = join(ROOT, 'node_modules', '.planter-reliability-build.lock');
  try {
    mkdirSync(lock);
  } catch {
    const deadline = Date.now() + 300_000;
    while (existsSync(lock) && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 200);
    if (BUILT.every((f) => existsSync(f))) return;
    throw new Error('out/ is missing and another build did not produce it');
  }
  try {
    log('out/ is missing: building the app (npx electron-vite build)');
    const r = spawnSync('npx', ['electron-vite', 'build'], { cwd: ROOT, encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) throw new Error(`electron-vite build failed:\n${r.stdout}\n${r.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface HttpResult {
  status: number;
  body: string;
}

/** One HTTP request to 127.0.0.1 with explicit headers (no keep-alive: a killed server must not leave pooled sockets). */
export function httpRequest(
  port: number,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; timeoutMs?: number } = {},
): Promise<HttpResult> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method: options.method ?? 'POST', agent: false, headers: { host: `127.0.0.1:${port}`, connection: 'close', ...options.headers } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      },
    );
    req.setTimeout(options.timeoutMs ?? 60_000, () => req.destroy(new Error(`request ${path} timed out`)));
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

export interface ServiceProcess {
  readonly pid: number;
  readonly port: number;
  readonly token: string;
  readonly child: ChildProcess;
  /** Resolves with the exit code (or the signal name) when the process ends. */
  readonly exited: Promise<number | string | null>;
  /** A contract call over HTTP; rejects only when no reply came (connection refused or reset). */
  call<T = unknown>(method: string, input?: unknown, timeoutMs?: number): Promise<Reply<T>>;
  /** `call` that throws on an error reply. */
  ok<T = unknown>(method: string, input?: unknown, timeoutMs?: number): Promise<T>;
  /** SIGKILL: no cleanup, no flush, exactly what a crash or power cut does to the process. */
  kill(): Promise<void>;
  /** SIGTERM and wait (the orderly shutdown `planter serve` does on Ctrl-C). */
  stop(): Promise<void>;
  /** The last few KB of the child's stdout and stderr, for failure messages. */
  output(): string;
}

export interface StartOptions {
  dataDir: string;
  /** Where the URL (with the token) is written; default `<dataDir>.url`. */
  urlFile?: string;
  env?: Record<string, string>;
  readyTimeoutMs?: number;
  extraArgs?: string[];
}

/**
 * Starts `planter serve --data-dir D --no-demo --url-file F` and waits until it answers. In a
 * shared checkout someone's `npm run build` may have emptied out/ for a few seconds: wait for it.
 */
export async function startServiceProcess(options: StartOptions): Promise<ServiceProcess> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(options);
    } catch (e) {
      if (attempt >= 10 || !/not built|ERR_MODULE_NOT_FOUND|Cannot find module/.test((e as Error).message)) throw e;
      await new Promise((r) => setTimeout(r, 3000));
    }
  }
}

async function startOnce(options: StartOptions): Promise<ServiceProcess> {
  const urlFile = options.urlFile ?? `${options.dataDir}.url`;
  rmSync(urlFile, { force: true });
  const child = spawn(process.execPath, [CLI, 'serve', '--data-dir', options.dataDir, '--no-demo', '--url-file', urlFile, ...(options.extraArgs ?? [])], {
    cwd: ROOT,
    env: { ...process.env, PLANTER_TOKEN: '', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let tail = '';
  const keep = (c: Buffer): void => {
    tail = (tail + c.toString('utf8')).slice(-8000);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<number | string | null>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal)));
  let gone = false;
  void exited.then(() => (gone = true));

  const deadline = Date.now() + (options.readyTimeoutMs ?? 30_000);
  let url = '';
  while (!url) {
    if (gone) throw new Error(`planter serve exited before it was ready:\n${tail}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`planter serve was not ready after ${options.readyTimeoutMs ?? 30_000} ms:\n${tail}`);
    }
    if (existsSync(urlFile)) {
      const text = readFileSync(urlFile, 'utf8');
      if (text.endsWith('\n')) url = text.trim();
    }
    if (!url) await new Promise((r) => setTimeout(r, 15));
  }
  const m = /^http:\/\/127\.0\.0\.1:(\d+)\/#token=(.+)$/.exec(url);
  if (!m) throw new Error(`unexpected URL in ${urlFile}: ${url}`);
  const port = Number(m[1]);
  const token = m[2]!;

  const call = async <T>(method: string, input: unknown = {}, timeoutMs = 60_000): Promise<Reply<T>> => {
    const res = await httpRequest(port, `/api/call/${method}`, {
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
      timeoutMs,
    });
    try {
      return JSON.parse(res.body) as Reply<T>;
    } catch {
      throw new Error(`${method}: HTTP ${res.status} with a body that is not JSON: ${res.body.slice(0, 200)}`);
    }
  };
  const kill = async (): Promise<void> => {
    if (!gone) child.kill('SIGKILL');
    await exited;
  };
  return {
    pid: child.pid!,
    port,
    token,
    child,
    exited,
    call,
    async ok<T>(method: string, input?: unknown, timeoutMs?: number): Promise<T> {
      const reply = await call<T>(method, input, timeoutMs);
      if (!reply.ok) throw Object.assign(new Error(`${method}: ${reply.error.code}: ${reply.error.message}`), { code: reply.error.code });
      return reply.value;
    },
    kill,
    async stop() {
      if (gone) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
    output: () => tail,
  };
}

/** Uploads bytes through `uploads.*` (the UI's path; the HTTP transport may not name disk paths). */
export async function upload(proc: ServiceProcess, projectId: string, fileName: string, bytes: Buffer, chunkBytes = 256 * 1024): Promise<string> {
  const { uploadId } = await proc.ok<{ uploadId: string }>('uploads.begin', { projectId, fileName, sizeBytes: bytes.length });
  for (let offset = 0; offset < bytes.length; offset += chunkBytes) {
    await proc.ok('uploads.append', { uploadId, offset, dataBase64: bytes.subarray(offset, offset + chunkBytes).toString('base64') });
  }
  await proc.ok('uploads.finish', { uploadId });
  return uploadId;
}

export interface JobOutcome {
  outcome: 'done' | 'cancelled' | 'failed';
  error?: { code: string; message: string };
  result?: unknown;
}

/** Polls `jobs.get` until the job finishes; rejects when the process goes away first. */
export async function waitJob(proc: ServiceProcess, jobId: string, timeoutMs = 300_000, pollMs = 25): Promise<JobOutcome> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await proc.ok<{ finished: JobOutcome | null }>('jobs.get', { jobId });
    if (state.finished) return state.finished;
    if (Date.now() > deadline) throw new Error(`job ${jobId} did not finish in ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, pollMs));
  }
}
