/**
 * The local web host under attack (issue #7): every contract method is tried without the token,
 * with near-miss tokens, with the token from a foreign Host or Origin (DNS rebinding), over the
 * WebSocket too; bodies over the limit; export, import and upload names that try to leave the
 * project; and random requests. All must be refused, and nothing may be written: the data folder
 * (and a folder beside it) is compared file by file before and after.
 */
import fc from 'fast-check';
import { createConnection } from 'node:net';
import { request } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { MAX_UPLOAD_BYTES, methodNames } from '../../shared/contract';
import { call } from '../app/dispatch';
import { tempServices } from '../testing/temp-services';
import { emptyTally, report, seed, size } from '../testing/reliability/tally';
import { RENDERER_CSP, WEB_HOST_META_CSP } from './csp';
import { startWebHost, type WebHost } from './server';
import { CONTENT_SECURITY_POLICY, tokensEqual } from './security';

interface Res {
  status: number;
  body: string;
  headers?: Record<string, string | string[] | undefined>;
}

function send(port: number, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer; chunked?: boolean } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { host: `127.0.0.1:${port}`, ...options.headers };
    const req = request({ host: '127.0.0.1', port, path, method: options.method ?? 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    if (options.body !== undefined) {
      if (options.chunked) {
        const b = Buffer.from(options.body);
        for (let i = 0; i < b.length; i += 16 * 1024) req.write(b.subarray(i, i + 16 * 1024));
      } else req.write(options.body);
    }
    req.end();
  });
}

/** A request written byte by byte on a socket: Node's client would "fix" an empty or missing Host. */
function sendRaw(port: number, head: string, body = ''): Promise<Res> {
  return new Promise((resolve, reject) => {
    const socket = createConnection({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1] ?? 0);
      resolve({ status, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    });
    socket.write(`${head}\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}

/** Every file under a folder with its size and modification time (SQLite's -shm index excluded: readers touch it). */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  if (!existsSync(dir)) return out;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    const path = join(e.parentPath, e.name);
    if (e.name.endsWith('-shm')) continue;
    const st = statSync(path);
    out[path.slice(dir.length)] = e.isDirectory() ? 'dir' : `${st.size}@${st.mtimeMs}`;
  }
  return out;
}

const tally = emptyTally();
let env: ReturnType<typeof tempServices>;
let staticDir: string;
let outside: string;
const PROJECT = 'victim';
let docId: number;
const hosts: WebHost[] = [];

async function newHost(maxBodyBytes = 64 * 1024): Promise<WebHost> {
  const host = await startWebHost({ services: env.services, staticDir, maxBodyBytes });
  hosts.push(host);
  return host;
}

/** Counts anything that got through: a 2xx, or a reply that says ok. */
function refused(res: Res, what: string, statuses: number[]): void {
  let ok = false;
  try {
    ok = (JSON.parse(res.body) as { ok?: boolean }).ok === true;
  } catch {
    /* not JSON: fine for a refusal */
  }
  if ((res.status >= 200 && res.status < 300) || ok) tally.unauthorized_accepted++;
  expect(statuses, `${what}: HTTP ${res.status} ${res.body.slice(0, 200)}`).toContain(res.status);
}

beforeAll(async () => {
  env = tempServices();
  staticDir = mkdtempSync(join(tmpdir(), 'planter-static-'));
  writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
  outside = mkdtempSync(join(tmpdir(), 'planter-outside-'));
  writeFileSync(join(outside, 'secret.txt'), 'not for the web');
  const cli = { transport: 'cli' as const, trusted: true };
  await call(env.services.handlers, 'projects.create', { id: PROJECT, name: 'Victim' }, cli);
  const file = join(outside, 'corpus.jsonl');
  writeFileSync(file, [1, 2, 3].map((i) => JSON.stringify({ id: `d${i}`, text: `patient record ${i}`, labels: ['E11.9'] })).join('\n'));
  const { jobId } = await call(env.services.handlers, 'imports.corpus', { projectId: PROJECT, source: { path: file }, format: 'jsonl', mapping: { idField: 'id', labelsField: 'labels' } }, cli);
  expect((await env.services.jobs.wait(jobId)).outcome).toBe('done');
  docId = (await call(env.services.handlers, 'documents.list', { projectId: PROJECT }, cli)).items[0]!.id;
});

afterAll(async () => {
  for (const h of hosts) await h.close();
  await env.cleanup();
  rmSync(staticDir, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
  report('web-host-security', { unauthorized_accepted: tally.unauthorized_accepted, fuzz_cases: tally.fuzz_cases, crashes: tally.crashes });
});

/** A plausible, valid payload for each method, so a refusal is about the credentials, not the input. */
function payload(method: string): unknown {
  const p = { projectId: PROJECT };
  const table: Record<string, unknown> = {
    'projects.create': { id: 'pwned', name: 'pwned' },
    'documents.get': { ...p, docId },
    'annotations.apply': { ...p, docId, labelId: 1, action: 'reject' },
    'annotations.setStatus': { ...p, docId, status: 'done' },
    'exports.annotations': { ...p, format: 'jsonl', destination: { name: 'stolen.jsonl' } },
    'exports.model': { ...p, destination: { name: 'stolen' } },
    'uploads.begin': { projectId: PROJECT, fileName: 'x.jsonl', sizeBytes: 10 },
    'labels.search': { ...p, query: 'e11' },
    'queue.next': { ...p, strategy: 'sequential' },
    'training.start': { ...p, mode: 'full' },
    'jobs.get': { jobId: 'job-x' },
    'jobs.cancel': { jobId: 'job-x' },
  };
  return table[method] ?? p;
}

describe('web host: the page CSP', () => {
  it('serves the built index.html with the browser-mode policy in its meta tag, and the header policy (issue #15)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'planter-static-csp-'));
    try {
      // What the build writes: the Electron policy, which has no socket for browser mode's events.
      writeFileSync(join(dir, 'index.html'), `<!doctype html><meta http-equiv="Content-Security-Policy" content="${RENDERER_CSP}"><title>t</title>`);
      const host = await startWebHost({ services: env.services, staticDir: dir });
      hosts.push(host);
      const res = await send(host.port, '/', { method: 'GET' });
      expect(res.status).toBe(200);
      expect(res.headers?.['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
      const metas = [...res.body.matchAll(/http-equiv="Content-Security-Policy" content="([^"]+)"/g)].map((m) => m[1]);
      expect(metas).toEqual([WEB_HOST_META_CSP]);
      // The meta form is the header form without frame-ancestors (ignored in a meta tag).
      expect(`${WEB_HOST_META_CSP}; frame-ancestors 'none'`).toBe(CONTENT_SECURITY_POLICY);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('web host: binding', () => {
  it('listens on 127.0.0.1 only: no other interface of this machine answers', async () => {
    const host = await newHost();
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/`);
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a && !a.internal)
      .map((a) => a!.address);
    for (const address of [...others, '::1']) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = createConnection({ host: address, port: host.port, timeout: 2000 });
        socket.once('connect', () => {
          socket.destroy();
          resolve('connected');
        });
        socket.once('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
        socket.once('timeout', () => {
          socket.destroy();
          resolve('timeout');
        });
      });
      if (outcome === 'connected') tally.unauthorized_accepted++;
      expect(outcome, address).not.toBe('connected');
    }
  });
});

describe('web host: the token', () => {
  it('every method refuses a missing or near-miss token, and nothing is written', { timeout: 120_000 }, async () => {
    const before = { data: tree(env.dataDir), outside: tree(outside) };
    for (const method of methodNames) {
      // A fresh host per method: the bad-token limiter would otherwise answer 429 for most of them.
      const host = await newHost();
      const t = host.token;
      const variants: Record<string, Record<string, string>> = {
        none: {},
        wrong: { authorization: `Bearer ${'A'.repeat(t.length)}` },
        truncated: { authorization: `Bearer ${t.slice(0, -1)}` },
        extended: { authorization: `Bearer ${t}x` },
        'other case': { authorization: `Bearer ${t.toUpperCase() === t ? t.toLowerCase() : t.toUpperCase()}` },
        'basic auth': { authorization: `Basic ${Buffer.from(`planter:${t}`).toString('base64')}` },
        'bare token': { authorization: t },
        cookie: { cookie: `token=${t}` },
        'custom header': { 'x-planter-token': t },
        'websocket protocol header': { 'sec-websocket-protocol': `planter.${t.slice(1)}` },
      };
      for (const [name, headers] of Object.entries(variants)) {
        const res = await send(host.port, `/api/call/${method}`, { headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(payload(method)) });
        refused(res, `${method} with ${name}`, [401, 429]);
      }
      const query = await send(host.port, `/api/call/${method}?token=${t}`, { body: JSON.stringify(payload(method)) });
      refused(query, `${method} with the token in the query`, [401, 429]);
    }
    expect(tree(env.dataDir)).toEqual(before.data);
    expect(tree(outside)).toEqual(before.outside);
    expect(env.services.projects.exists('pwned')).toBe(false);
  });

  it('limits bad tokens: after 20 in a minute every further wrong attempt gets 429, while the right token still works', async () => {
    const host = await newHost();
    const statuses: number[] = [];
    for (let i = 0; i < 60; i++) statuses.push((await send(host.port, '/api/call/app.info', { headers: { authorization: `Bearer guess-${i}` }, body: '{}' })).status);
    expect(statuses.filter((s) => s === 401)).toHaveLength(20);
    expect(statuses.slice(20).every((s) => s === 429)).toBe(true);
    // A local process guessing on purpose must not lock the real UI out.
    const right = await send(host.port, '/api/call/app.info', { headers: { authorization: `Bearer ${host.token}` }, body: '{}' });
    expect(right.status).toBe(200);
  });

  it('compares tokens in constant time (SHA-256 digests through timingSafeEqual, any length)', () => {
    const source = tokensEqual.toString();
    expect(source).toMatch(/timingSafeEqual/);
    expect(source).toMatch(/sha256/);
    expect(source).not.toMatch(/===|!==/);
    expect(tokensEqual('a', 'a'.repeat(1000))).toBe(false);
    expect(tokensEqual('', '')).toBe(true);
  });
});

describe('web host: DNS rebinding', () => {
  it('the token from a foreign Host or Origin is refused, for reads and writes', async () => {
    const host = await newHost();
    const p = host.port;
    const auth = { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' };
    const badHosts = [`evil.example:${p}`, `127.0.0.1:${p + 1}`, 'localhost', '127.0.0.1', `[::1]:${p}`, `127.0.0.2:${p}`, `0.0.0.0:${p}`, `localhost.:${p}`, `127.0.0.1:${p}.evil.example`, `127.0.0.1.nip.io:${p}`, `127.0.0.1:${p}, evil.example`];
    const badOrigins = ['http://evil.example', 'null', `https://127.0.0.1:${p}`, `http://127.0.0.1:${p + 1}`, `http://localhost.evil.example:${p}`, `http://127.0.0.1:${p}.evil.example`, 'file://', `http://evil.example:${p}`];
    for (const method of ['projects.create', 'projects.list', 'documents.get', 'exports.annotations']) {
      for (const h of badHosts) refused(await send(p, `/api/call/${method}`, { headers: { ...auth, host: h }, body: JSON.stringify(payload(method)) }), `${method} Host ${h}`, [400, 403]);
      const body = JSON.stringify(payload(method));
      const line = `POST /api/call/${method} HTTP/1.1\r\nAuthorization: Bearer ${host.token}\r\nContent-Type: application/json`;
      refused(await sendRaw(p, `${line}\r\nHost: `, body), `${method} with an empty Host`, [400, 403]);
      refused(await sendRaw(p, line.replace('HTTP/1.1', 'HTTP/1.0'), body), `${method} with no Host (HTTP/1.0)`, [400, 403]);
      refused(await sendRaw(p, `${line}\r\nHost: 127.0.0.1:${p}\r\nHost: evil.example`, body), `${method} with two Host headers`, [400, 403]);
      refused(await sendRaw(p, `${line}\r\nHost: 127.0.0.1:${p}\r\nOrigin: http://127.0.0.1:${p}\r\nOrigin: http://evil.example`, body), `${method} with two Origin headers`, [403]);
      for (const o of badOrigins) refused(await send(p, `/api/call/${method}`, { headers: { ...auth, origin: o }, body: JSON.stringify(payload(method)) }), `${method} Origin ${o}`, [403]);
    }
    expect(env.services.projects.exists('pwned')).toBe(false);
    expect(existsSync(join(env.dataDir, 'projects', PROJECT, 'exports', 'stolen.jsonl'))).toBe(false);
    // The same request from our own origin works: the refusals above were about Host and Origin.
    const own = await send(p, '/api/call/projects.list', { headers: { ...auth, origin: `http://127.0.0.1:${p}` }, body: '{}' });
    expect(own.status).toBe(200);
  });

  it('the event socket needs the token and the same Host and Origin', async () => {
    const host = await newHost();
    const base = `ws://127.0.0.1:${host.port}/api/events`;
    const attempt = (protocols: string[], headers: Record<string, string> = {}, url = base): Promise<string> =>
      new Promise((resolve) => {
        const ws = new WebSocket(url, protocols, { headers });
        ws.on('open', () => {
          ws.close();
          resolve('open');
        });
        ws.on('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
        ws.on('error', (e) => resolve(`error ${e.message}`));
      });
    const t = host.token;
    const cases: [string, Promise<string>][] = [
      ['no protocol', attempt([])],
      ['wrong token', attempt(['planter.wrong'])],
      ['token in query', attempt([], {}, `${base}?token=${t}`)],
      ['token, foreign origin', attempt([`planter.${t}`], { origin: 'http://evil.example' })],
      ['token, foreign host', attempt([`planter.${t}`], { host: `evil.example:${host.port}` })],
      ['token, other path', attempt([`planter.${t}`], {}, `ws://127.0.0.1:${host.port}/api/call/app.info`)],
    ];
    for (const [name, outcome] of cases) {
      const o = await outcome;
      if (o === 'open') tally.unauthorized_accepted++;
      expect(o, name).not.toBe('open');
    }
    expect(await attempt([`planter.${t}`])).toBe('open');
  });
});

describe('web host: request size', () => {
  it('bodies over the limit get 413 and change nothing, whether the length is declared or streamed', async () => {
    const host = await newHost(64 * 1024);
    const before = tree(env.dataDir);
    const auth = { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' };
    const big = JSON.stringify({ id: 'pwned', name: 'x'.repeat(200 * 1024) });
    refused(await send(host.port, '/api/call/projects.create', { headers: auth, body: big }), 'declared', [413]);
    refused(await send(host.port, '/api/call/projects.create', { headers: { ...auth, 'transfer-encoding': 'chunked' }, body: big, chunked: true }), 'streamed', [413]);
    refused(await send(host.port, '/api/call/projects.create', { headers: { ...auth, 'content-length': String(10 ** 12) }, body: '' }).catch(() => ({ status: 413, body: '' })), 'lying length', [413]);
    expect(tree(env.dataDir)).toEqual(before);
    // Over the upload limits: refused by the contract before a byte is staged.
    const begin = await send(host.port, '/api/call/uploads.begin', { headers: auth, body: JSON.stringify({ projectId: PROJECT, fileName: 'huge.jsonl', sizeBytes: MAX_UPLOAD_BYTES + 1 }) });
    refused(begin, 'upload over the maximum size', [400, 413]);
    const small = await newHost(8 * 1024 * 1024);
    const smallAuth = { authorization: `Bearer ${small.token}`, 'content-type': 'application/json' };
    const { value } = JSON.parse((await send(small.port, '/api/call/uploads.begin', { headers: smallAuth, body: JSON.stringify({ projectId: PROJECT, fileName: 'ten.txt', sizeBytes: 10 }) })).body) as { value: { uploadId: string } };
    const over = await send(small.port, '/api/call/uploads.append', { headers: smallAuth, body: JSON.stringify({ uploadId: value.uploadId, offset: 0, dataBase64: Buffer.alloc(11).toString('base64') }) });
    refused(over, 'upload longer than announced', [400, 413]);
  });
});

describe('web host: paths from the network never leave the project', () => {
  it('export, import, upload and project names that try to escape are refused and write nothing', async () => {
    const host = await newHost();
    const auth = { authorization: `Bearer ${host.token}`, 'content-type': 'application/json' };
    const before = { data: tree(env.dataDir), outside: tree(outside) };
    const post = (method: string, body: unknown): Promise<Res> => send(host.port, `/api/call/${method}`, { headers: auth, body: JSON.stringify(body) });
    const escapes = ['../escape', '..', '.', '/etc/passwd', `${outside}/x`, 'a/b', 'a\\b', '.hidden', '..%2fescape', '%2e%2e', 'x\u0000y', 'C:\\x', '~/.bashrc', ' lead', 'new\nline', 'a'.repeat(300), ''];
    for (const name of escapes) {
      refused(await post('exports.annotations', { projectId: PROJECT, format: 'jsonl', destination: { name } }), `annotation export to ${JSON.stringify(name)}`, [400]);
      refused(await post('exports.model', { projectId: PROJECT, destination: { name } }), `model export to ${JSON.stringify(name)}`, [400]);
      refused(await post('uploads.begin', { projectId: PROJECT, fileName: name.includes('/') || name.includes('\\') || name === '..' || name === '.' || name === '' || name.length > 255 ? name : `../${name}`, sizeBytes: 1 }), `upload named ${JSON.stringify(name)}`, [400]);
      refused(await post('projects.create', { id: name, name: 'x' }), `project id ${JSON.stringify(name)}`, [400]);
    }
    for (const path of [`${outside}/stolen.jsonl`, '/tmp/planter-stolen.jsonl', '../../stolen.jsonl', 'relative.jsonl']) {
      refused(await post('exports.annotations', { projectId: PROJECT, format: 'jsonl', destination: { path } }), `annotation export to path ${path}`, [403]);
      refused(await post('exports.model', { projectId: PROJECT, destination: { path } }), `model export to path ${path}`, [403]);
    }
    for (const path of [`${outside}/secret.txt`, '/etc/passwd', `${outside}/corpus.jsonl`]) {
      refused(await post('imports.corpus', { projectId: PROJECT, source: { path }, format: 'jsonl' }), `import from ${path}`, [403]);
      refused(await post('imports.catalogue', { projectId: PROJECT, source: { path }, format: 'labels-csv' }), `catalogue from ${path}`, [403]);
    }
    for (const projectId of ['../victim', 'victim/../x', '%2e%2e', 'VICTIM', 'victim\u0000']) refused(await post('projects.stats', { projectId }), `project ${projectId}`, [400]);
    expect(tree(env.dataDir)).toEqual(before.data);
    expect(tree(outside)).toEqual(before.outside);
    expect(existsSync('/tmp/planter-stolen.jsonl')).toBe(false);
    // A plain name is written where it belongs, under the project's exports/ folder.
    const ok = JSON.parse((await post('exports.annotations', { projectId: PROJECT, format: 'jsonl', destination: { name: 'mine' } })).body) as { ok: boolean; value: { jobId: string } };
    expect(ok.ok).toBe(true);
    const done = await env.services.jobs.wait(ok.value.jobId);
    // Written under the project, and named relative to it: the network never learns the server's paths.
    expect((done.result as { path: string }).path).toBe('exports/mine.jsonl');
    expect(existsSync(join(env.dataDir, 'projects', PROJECT, 'exports', 'mine.jsonl'))).toBe(true);
  });

  it('static files never come from outside the renderer folder, and malformed URLs are refused, not crashed on', async () => {
    const host = await newHost();
    mkdirSync(join(staticDir, 'sub'), { recursive: true });
    const paths = ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd', '/..%5c..%5cetc%5cpasswd', '/%252e%252e/etc/passwd', '/sub/../../etc/passwd', '/%c0%ae%c0%ae/etc/passwd', '/index.html%00.png', `/${'..%2f'.repeat(12)}etc/passwd`, '/%E0%A4%A', '/%', '/sub', '//etc/passwd', '/\\..\\..\\etc\\passwd'];
    for (const path of paths) {
      const res = await send(host.port, path, { method: 'GET' });
      expect(res.status, path).toBeGreaterThanOrEqual(400);
      expect(res.status, `${path}: a server error`).toBeLessThan(500);
      expect(res.body).not.toMatch(/root:|not for the web/);
    }
  });
});

describe('web host: random requests', () => {
  const CASES = size(300, 3000);
  it(`${CASES} random requests without the token are never served and never crash the host`, { timeout: 300_000 }, async () => {
    const host = await newHost();
    const before = tree(env.dataDir);
    const method = fc.constantFrom('GET', 'POST', 'PUT', 'DELETE', 'OPTIONS', 'PATCH', 'HEAD');
    const path = fc.oneof(
      fc.constantFrom(...methodNames).map((m) => `/api/call/${m}`),
      fc.string({ maxLength: 40 }).map((s) => `/api/${encodeURIComponent(s)}`),
      fc.constantFrom('/api/events', '/api/call/', '/api/call/..%2f..', '/api/call/app.info/', '/API/call/app.info', '/api//call/app.info'),
    );
    const headers = fc.dictionary(fc.constantFrom('authorization', 'origin', 'cookie', 'x-forwarded-for', 'x-real-ip', 'forwarded', 'sec-websocket-protocol', 'content-type'), fc.string({ maxLength: 40 }).map((s) => s.replace(/[^\x20-\x7e]/g, '')), { maxKeys: 4 });
    const body = fc.oneof(fc.constant(''), fc.json(), fc.string({ maxLength: 200 }));
    const samples = fc.sample(fc.record({ method, path, headers, body }), { numRuns: CASES, seed: seed(31) });
    for (const s of samples) {
      tally.fuzz_cases++;
      // The limiter starts answering 429 after 20 misses; reset it now and then so the token check itself is exercised.
      let res: Res;
      try {
        res = await send(host.port, s.path, { method: s.method, headers: s.headers, body: s.method === 'GET' || s.method === 'HEAD' ? undefined : s.body });
      } catch (e) {
        tally.crashes++;
        throw new Error(`${JSON.stringify(s)}: no response (${(e as Error).message})`);
      }
      if (res.status >= 500) tally.crashes++;
      refused(res, JSON.stringify(s), [401, 403, 404, 405, 429]);
    }
    expect(tree(env.dataDir)).toEqual(before);
  });
});
