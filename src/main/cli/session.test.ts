import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { CliSession, withProject, withSession } from './session';

describe('withProject', () => {
  let dir: string;
  const previousHome = process.env.PLANTER_HOME;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'planter-session-'));
    process.env.PLANTER_HOME = join(dir, 'home');
  });
  afterAll(() => {
    if (previousHome === undefined) delete process.env.PLANTER_HOME;
    else process.env.PLANTER_HOME = previousHome;
    rmSync(dir, { recursive: true, force: true });
  });

  it('hands the work a registered project id and disposes the session after it', async () => {
    const dispose = vi.spyOn(CliSession.prototype, 'dispose');
    const project = join(dir, 'cardio');
    await withSession((s) => s.call('projects.init', { path: project }));
    dispose.mockClear();
    const stats = await withProject(project, async (session, projectId) => {
      expect(dispose).not.toHaveBeenCalled();
      return session.call('projects.stats', { projectId });
    });
    expect(stats.documents.total).toBe(0);
    expect(dispose).toHaveBeenCalledTimes(1);
    dispose.mockRestore();
  });

  it('disposes the session when the work throws, before the error reaches the caller', async () => {
    const order: string[] = [];
    const dispose = vi.spyOn(CliSession.prototype, 'dispose').mockImplementation(async function (this: CliSession) {
      order.push('disposed');
      await this.services.dispose();
    });
    await expect(
      withProject(join(dir, 'nowhere'), async (session, projectId) => {
        await session.call('projects.stats', { projectId });
      }).catch((e: unknown) => {
        order.push('caught');
        throw e;
      }),
    ).rejects.toMatchObject({ code: 'not-found' });
    expect(order).toEqual(['disposed', 'caught']);
    await expect(withProject(join(dir, 'nowhere'), () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(dispose).toHaveBeenCalledTimes(2);
    dispose.mockRestore();
  });
});
