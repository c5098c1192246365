import { describe, expect, it } from 'vitest';
import { DeviceUnavailableError, listDevices, resolveDevice } from './device';

describe('devices', () => {
  it('cpu is always available', async () => {
    expect(await resolveDevice('cpu')).toEqual(['cpu']);
    expect((await listDevices()).find((d) => d.name === 'cpu')?.available).toBe(true);
  });
  it('cuda resolves when present, else fails with a reason and how to enable it', async () => {
    const cuda = (await listDevices()).find((d) => d.name === 'cuda')!;
    if (cuda.available) {
      expect(await resolveDevice('cuda')).toContain('cuda');
    } else {
      const err = await resolveDevice('cuda').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(DeviceUnavailableError);
      expect((err as Error).message).toMatch(/CUDA was requested but is unavailable: .+allowScripts/);
    }
  });
});
