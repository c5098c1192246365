import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { GraphBuilder } from './graph/builder';
import { serialize } from './onnx/serialize';
import { add } from './ops/add';

export type DeviceName = 'cpu' | 'cuda';

export interface DeviceInfo {
  name: DeviceName;
  available: boolean;
  /** Why it is unavailable (shown to the user), or a short description when it is. */
  detail: string;
}

/** Asked for a device that cannot run here; `message` says why and how to enable it. */
export class DeviceUnavailableError extends Error {
  readonly code = 'device-unavailable';
  constructor(message: string) {
    super(message);
    this.name = 'DeviceUnavailableError';
  }
}

export const CUDA_HOWTO =
  'To enable CUDA: install the NVIDIA driver, CUDA 12 and cuDNN 9 runtimes; remove "onnxruntime-node": false from ' +
  '"allowScripts" in package.json and run `npm rebuild onnxruntime-node` (or `node node_modules/onnxruntime-node/script/install.js ' +
  '--onnxruntime-node-install=cuda12`), which downloads libonnxruntime_providers_cuda from NuGet.';

function ortBinFolder(): string | null {
  try {
    const req = createRequire(import.meta.url);
    const root = path.dirname(path.dirname(req.resolve('onnxruntime-node')));
    return path.join(root, 'bin', 'napi-v6', process.platform, process.arch);
  } catch {
    return null;
  }
}

function cudaStaticCheck(): string | null {
  const bin = ortBinFolder();
  const lib = process.platform === 'win32' ? 'onnxruntime_providers_cuda.dll' : 'libonnxruntime_providers_cuda.so';
  if (!bin || !existsSync(path.join(bin, lib))) return `onnxruntime-node's CUDA provider (${lib}) is not installed (its install script was not run).`;
  if (process.platform === 'linux' && !existsSync('/dev/nvidiactl') && !existsSync('/proc/driver/nvidia/version')) return 'no NVIDIA GPU/driver found (/dev/nvidiactl is missing).';
  return null;
}

let cudaProbe: Promise<string | null> | null = null;

/** Creates a one-node session on CUDA; null when it works, else the reason. Cached per process. */
function probeCuda(): Promise<string | null> {
  cudaProbe ??= (async () => {
    const why = cudaStaticCheck();
    if (why) return why;
    const g = new GraphBuilder();
    const x = g.input('x', 'float32', [1]);
    g.output(add(g, x, x), 'y');
    try {
      const s = await ort.InferenceSession.create(serialize(g), { executionProviders: ['cuda'] });
      await s.release();
      return null;
    } catch (e) {
      return `the CUDA execution provider failed to start: ${(e as Error).message}`;
    }
  })();
  return cudaProbe;
}

/** Execution devices and whether each can run here. */
export async function listDevices(): Promise<DeviceInfo[]> {
  const cuda = await probeCuda();
  return [
    { name: 'cpu', available: true, detail: 'onnxruntime-node CPU provider (MLAS)' },
    { name: 'cuda', available: cuda === null, detail: cuda ?? 'onnxruntime-node CUDA provider' },
  ];
}

/** ORT execution providers for `device`; throws DeviceUnavailableError (with how to enable it) when it cannot run. */
export async function resolveDevice(device: DeviceName = 'cpu'): Promise<ort.InferenceSession.ExecutionProviderConfig[]> {
  if (device === 'cpu') return ['cpu'];
  if (device !== 'cuda') throw new DeviceUnavailableError(`unknown device "${String(device)}" (expected "cpu" or "cuda")`);
  const why = await probeCuda();
  if (why) throw new DeviceUnavailableError(`CUDA was requested but is unavailable: ${why} ${CUDA_HOWTO}`);
  return ['cuda', 'cpu'];
}
