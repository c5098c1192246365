import { z } from 'zod';
import { Empty, ProjectId, type MethodTable } from './common';

/** Which side of Planter answers: the Electron app, the local web host (browser mode) or the CLI. */
export const Transport = z.enum(['ipc', 'http', 'cli']);
export type Transport = z.infer<typeof Transport>;

export const AppInfo = z.object({
  version: z.string(),
  transport: Transport,
  /** The project the UI opens first: the bundled demo unless the user chose another. */
  defaultProjectId: ProjectId.nullable(),
  capabilities: z.object({
    /** True when onnxruntime-node's CUDA provider loaded and a GPU answered. */
    cuda: z.boolean(),
    /** True when @tensorflow/tfjs-node is installed and loads. */
    tfjsNode: z.boolean(),
    /** Native folder pickers exist only inside Electron. */
    nativeDialogs: z.boolean(),
  }),
});
export type AppInfo = z.infer<typeof AppInfo>;

export const appMethods = {
  'app.info': { input: Empty, output: AppInfo },
} as const satisfies MethodTable;
