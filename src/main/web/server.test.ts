import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import WebSocket from 'ws';
import { tempServices } from '../testing/temp-services';
import { startWebHost, type WebHost } from './server';
import { FailureLimiter, tokensEqual } from './security';

interface Res {
  status: number;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

function send(host: WebHost, path: string, options: { method?: string; headers?: Record<string, string>; body?: string | Buffer } = {}): Promise<Res> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, method: options.method ?? 'POST', headers: { host: `127.0.0.1:${host.port}`, ...options.headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8'), headers: res.headers }));
    });
    req.on('error', reject);
    if (options.body !== undefined) req.write(options.body);
    req.end();
  });
}

interface Frame {
  kind: string;
  seq: number;
  event?: string;
  payload?: unknown;
}

function collect(ws: WebSocket): Frame[] {
  const frames: Frame[] = [];
  ws.on('message', (m) => frames.push(JSON.parse(String(m)) as Frame));
  return frames;
}

describe('web host', () => {
  let env: ReturnType<typeof tempServices>;
  let host: WebHost;
  let staticDir: string;
  const auth = (): Record<string, string> => ({ authorization: `Bearer ${host.token}`, 'content-type': 'application/json' });

  beforeAll(async () => {
    env = tempServices();
    staticDir = mkdtempSync(join(tmpdir(), 'planter-static-'));
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>t</title>');
    host = await startWebHost({ services: env.services, staticDir, maxBodyBytes: 64 * 1024 });
  });
  afterAll(async () => {
    await host.close();
    await env.cleanup();
    rmSync(staticDir, { recursive: true, force: true });
  });

  it('binds to 127.0.0.1 only and puts the token in the URL fragment', () => {
    expect(host.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(host.openUrl).toBe(`${host.url}#token=${host.token}`);
  });

  it('answers a call with the token', async () => {
    const res = await send(host, '/api/call/app.info', { headers: auth(), body: '{}' });
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body)).toMatchObject({ ok: true, value: { transport: 'http' } });
  });

  it('refuses /api/ without a token or with a wrong one (401), and writes nothing', async () => {
    const none = await send(host, '/api/call/projects.create', { body: JSON.stringify({ id: 'x', name: 'x' }) });
    expect(none.status).toBe(401);
    const wrong = await send(host, '/api/call/projects.create', { headers: { authorization: 'Bearer nope' }, body: JSON.stringify({ id: 'x', name: 'x' }) });
    expect(wrong.status).toBe(401);
    expect(env.services.projects.exists('x')).toBe(false);
  });

  it('refuses a foreign Host or Origin (DNS rebinding) even with the token', async () => {
    const badHost = await send(host, '/api/call/app.info', { headers: { ...auth(), host: `evil.example:${host.port}` }, body: '{}' });
    expect(badHost.status).toBe(403);
    const badOrigin = await send(host, '/api/call/app.info', { headers: { ...auth(), origin: 'http://evil.example' }, body: '{}' });
    expect(badOrigin.status).toBe(403);
    const ownOrigin = await send(host, '/api/call/app.info', { headers: { ...auth(), origin: `http://127.0.0.1:${host.port}` }, body: '{}' });
    expect(ownOrigin.status).toBe(200);
  });

  it('refuses an oversized body with 413 and a malformed one with 400', async () => {
    const big = await send(host, '/api/call/projects.create', { headers: auth(), body: 'x'.repeat(70 * 1024) });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body).error.code).toBe('too-large');
    const bad = await send(host, '/api/call/app.info', { headers: auth(), body: '{not json' });
    expect(bad.status).toBe(400);
  });

  it('validates payloads against the contract', async () => {
    const res = await send(host, '/api/call/projects.stats', { headers: auth(), body: JSON.stringify({ projectId: '../../etc' }) });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).error.code).toBe('invalid-input');
  });

  it('serves the renderer with a strict CSP and never a file outside it', async () => {
    const page = await send(host, '/', { method: 'GET' });
    expect(page.status).toBe(200);
    expect(page.headers['content-security-policy']).toContain("default-src 'self'");
    expect(page.headers['content-security-policy']).toContain("script-src 'self'");
    for (const path of ['/../package.json', '/%2e%2e/%2e%2e/etc/passwd', '/..%2f..%2fetc%2fpasswd']) {
      const res = await send(host, path, { method: 'GET' });
      expect(res.status).toBe(404);
    }
  });

  it('streams events over a WebSocket that needs the token', async () => {
    const base = `ws://127.0.0.1:${host.port}/api/events`;
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(base, ['planter.wrong']);
      ws.on('open', () => resolve('open'));
      ws.on('error', () => resolve('refused'));
    });
    expect(refused).toBe('refused');
    const ws = new WebSocket(base, [`planter.${host.token}`]);
    const frames = collect(ws);
    await new Promise((r) => ws.on('open', r));
    env.services.events.emit('projects.changed', { projectId: 'p', what: 'documents' });
    const seq = env.services.events.seq;
    await vi.waitUntil(() => frames.length >= 2, { timeout: 5_000, interval: 10 });
    expect(frames).toEqual([
      { kind: 'hello', seq: seq - 1 },
      { kind: 'event', seq, event: 'projects.changed', payload: { projectId: 'p', what: 'documents' } },
    ]);
    ws.close();
  });

  it('replays to a reconnecting socket what it missed since its last sequence number', async () => {
    const base = `ws://127.0.0.1:${host.port}/api/events`;
    const hub = env.services.events;
    const before = hub.seq;
    const job = (jobId: string) => ({ jobId, projectId: 'p', kind: 'train' as const, outcome: 'done' as const, durationMs: 1 });
    hub.emit('jobs.progress', { jobId: 'job-x', projectId: 'p', kind: 'train', phase: 'finetune', done: 1, total: 9, unit: 'step' });
    hub.emit('jobs.progress', { jobId: 'job-x', projectId: 'p', kind: 'train', phase: 'finetune', done: 9, total: 9, unit: 'step' });
    hub.emit('jobs.finished', job('job-x'));
    const ws = new WebSocket(`${base}?since=${before}`, [`planter.${host.token}`]);
    const frames = collect(ws);
    await vi.waitUntil(() => frames.length >= 3, { timeout: 5_000, interval: 10 });
    ws.close();
    expect(frames[0]).toEqual({ kind: 'hello', seq: before + 3 });
    // The first progress is superseded by the second: only what still matters comes back.
    expect(frames.slice(1).map((f) => [f.seq, f.event, (f.payload as { done?: number }).done])).toEqual([
      [before + 2, 'jobs.progress', 9],
      [before + 3, 'jobs.finished', undefined],
    ]);

    const ahead = new WebSocket(`${base}?since=${hub.seq + 100}`, [`planter.${host.token}`]);
    const aheadFrames = collect(ahead);
    await vi.waitUntil(() => aheadFrames.length >= 2, { timeout: 5_000, interval: 10 });
    ahead.close();
    expect(aheadFrames[1]).toEqual({ kind: 'gap', seq: hub.seq });
  });

  it('refuses an event stream whose since is not a sequence number', async () => {
    for (const since of ['-1', 'abc', '1e9', '9999999999999999']) {
      const outcome = await new Promise<string>((resolve) => {
        const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api/events?since=${since}`, [`planter.${host.token}`]);
        ws.on('open', () => resolve('open'));
        ws.on('unexpected-response', (_req, res) => resolve(`HTTP ${res.statusCode}`));
        ws.on('error', () => resolve('error'));
      });
      expect(outcome, since).toBe('HTTP 400');
    }
  });
});

describe('web host security helpers', () => {
  it('compares tokens exactly', () => {
    expect(tokensEqual('abc', 'abc')).toBe(true);
    expect(tokensEqual('abc', 'abd')).toBe(false);
    expect(tokensEqual('', 'abc')).toBe(false);
  });

  it('blocks an address after too many wrong tokens, and forgets after the window', () => {
    const limiter = new FailureLimiter(3, 1000);
    for (let i = 0; i < 3; i++) limiter.fail('a', 0);
    expect(limiter.blocked('a', 10)).toBe(true);
    expect(limiter.blocked('b', 10)).toBe(false);
    expect(limiter.blocked('a', 2000)).toBe(false);
  });
});
