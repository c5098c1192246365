import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PlanterError } from '../../shared/errors';
import { tempServices } from '../testing/temp-services';
import { dispatch } from './dispatch';
import type { CallContext, Handlers } from '../core/handlers';

const http: CallContext = { transport: 'http', trusted: false };

describe('dispatch', () => {
  let env: ReturnType<typeof tempServices>;
  beforeEach(() => {
    env = tempServices();
  });
  afterEach(async () => env.cleanup());

  it('answers an unknown method with unknown-method, never throwing', async () => {
    const reply = await dispatch(env.services.handlers, 'projects.drop', {}, http);
    expect(reply).toEqual({ ok: false, error: { code: 'unknown-method', message: 'unknown method "projects.drop"' } });
    expect((await dispatch(env.services.handlers, 42, {}, http)).ok).toBe(false);
    expect((await dispatch(env.services.handlers, '__proto__', {}, http)).ok).toBe(false);
  });

  it('rejects a payload that fails the schema with invalid-input and the field path', async () => {
    const reply = await dispatch(env.services.handlers, 'projects.create', { id: 'Bad Id!', name: 'x' }, http);
    expect(reply.ok).toBe(false);
    if (reply.ok) return;
    expect(reply.error.code).toBe('invalid-input');
    expect(reply.error.message).toContain('projects.create: id:');
    expect(reply.error.details?.path).toEqual(['id']);
  });

  it('rejects unknown keys (strict schemas), so typos never pass silently', async () => {
    const reply = await dispatch(env.services.handlers, 'projects.stats', { projectId: 'x', extra: 1 }, http);
    expect(reply.ok).toBe(false);
    if (!reply.ok) expect(reply.error.code).toBe('invalid-input');
  });

  it('passes a PlanterError through with its code and hides bugs behind internal', async () => {
    const notFound = await dispatch(env.services.handlers, 'projects.stats', { projectId: 'nope' }, http);
    expect(notFound).toMatchObject({ ok: false, error: { code: 'not-found' } });
    const broken = {
      ...env.services.handlers,
      'app.info': async () => {
        throw new TypeError('boom');
      },
    } as Handlers;
    const original = console.error;
    console.error = () => {};
    try {
      const reply = await dispatch(broken, 'app.info', {}, http);
      expect(reply).toMatchObject({ ok: false, error: { code: 'internal' } });
    } finally {
      console.error = original;
    }
  });

  it('creates a project and reports its stats through the contract', async () => {
    const created = await dispatch(env.services.handlers, 'projects.create', { id: 'p1', name: 'One' }, http);
    expect(created).toMatchObject({ ok: true, value: { id: 'p1', name: 'One', documents: 0, labels: 0, demo: false } });
    const dup = await dispatch(env.services.handlers, 'projects.create', { id: 'p1', name: 'Again' }, http);
    expect(dup).toMatchObject({ ok: false, error: { code: 'conflict' } });
    const stats = await dispatch(env.services.handlers, 'projects.stats', { projectId: 'p1' }, http);
    expect(stats).toMatchObject({ ok: true, value: { documents: { total: 0 }, labels: { total: 0, buckets: { zero: 0, few: 0, mid: 0, head: 0 } } } });
  });

  it('refuses paths from untrusted transports for imports and exports', async () => {
    await dispatch(env.services.handlers, 'projects.create', { id: 'p2', name: 'Two' }, http);
    const imp = await dispatch(env.services.handlers, 'imports.corpus', { projectId: 'p2', source: { path: '/etc/passwd' }, format: 'jsonl' }, http);
    expect(imp).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const exp = await dispatch(env.services.handlers, 'exports.annotations', { projectId: 'p2', format: 'jsonl', destination: { path: '/tmp/x.jsonl' } }, http);
    expect(exp).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    const traversal = await dispatch(env.services.handlers, 'exports.annotations', { projectId: 'p2', format: 'jsonl', destination: { name: '../x' } }, http);
    expect(traversal).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('PlanterError survives as data', () => {
    expect(new PlanterError('bad-file', 'x line 2: broken', { file: 'x', line: 2 }).toWire()).toEqual({ code: 'bad-file', message: 'x line 2: broken', details: { file: 'x', line: 2 } });
  });
});
