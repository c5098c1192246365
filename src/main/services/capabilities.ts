import { createRequire } from 'node:module';
import { listDevices } from '../engine/device';

/**
 * What this machine can do beyond the CPU: the CUDA execution provider (probed with a one-node
 * session) and the optional tfjs-node backend (resolved, not loaded: loading it takes seconds).
 */
export async function detectCapabilities(): Promise<{ cuda: boolean; tfjsNode: boolean }> {
  const devices = await listDevices().catch(() => []);
  const require = createRequire(import.meta.url);
  let tfjsNode = false;
  for (const name of ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node']) {
    try {
      require.resolve(name);
      tfjsNode = true;
    } catch {
      /* not installed: the normal case on machines that cannot download libtensorflow */
    }
  }
  return { cuda: devices.some((d) => d.name === 'cuda' && d.available), tfjsNode };
}
