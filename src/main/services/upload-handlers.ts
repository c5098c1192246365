import { PlanterError } from '../../shared/errors';
import type { Handlers } from '../core/handlers';
import type { ServiceContext } from './context';

export function uploadHandlers(s: ServiceContext): Pick<Handlers, 'uploads.begin' | 'uploads.append' | 'uploads.finish' | 'uploads.discard'> {
  return {
    'uploads.begin': async ({ projectId, fileName, sizeBytes }) => {
      if (!s.projects.exists(projectId)) throw new PlanterError('not-found', `no project "${projectId}"`);
      return { uploadId: s.uploads.begin(projectId, fileName, sizeBytes) };
    },
    'uploads.append': async ({ uploadId, offset, dataBase64 }) => ({ receivedBytes: await s.uploads.append(uploadId, offset, dataBase64) }),
    'uploads.finish': async ({ uploadId }) => ({ uploadId, ...s.uploads.finish(uploadId) }),
    'uploads.discard': async ({ uploadId }) => {
      s.uploads.discard(uploadId);
      return {};
    },
  };
}
