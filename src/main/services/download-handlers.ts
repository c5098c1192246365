import { closeSync, openSync, readSync, realpathSync, statSync } from 'node:fs';
import { relative, resolve, sep } from 'node:path';
import { PlanterError } from '../../shared/errors';
import type { Handlers } from '../core/handlers';
import type { ServiceContext } from './context';

/** Exported files, read back in chunks for browser mode's downloads (see `exports.download`). */
export function downloadHandlers(s: ServiceContext): Pick<Handlers, 'exports.download'> {
  return {
    'exports.download': async ({ projectId, file, offset, length }) => {
      const root = s.projects.get(projectId).path('exports');
      const path = resolve(root, file);
      // The schema allows no ".." or absolute names; the resolved path is checked anyway, next to the read.
      const inside = relative(root, path);
      if (inside.startsWith('..') || inside.includes(`..${sep}`) || resolve(root, inside) !== path) throw new PlanterError('invalid-input', `not a file of the exports folder: ${file}`);
      let size: number;
      try {
        // A link inside exports/ must not lead out of it either.
        if (!`${realpathSync(path)}${sep}`.startsWith(`${realpathSync(root)}${sep}`)) throw new PlanterError('invalid-input', `not a file of the exports folder: ${file}`);
        const st = statSync(path);
        if (!st.isFile()) throw new Error('not a file');
        size = st.size;
      } catch (e) {
        if (e instanceof PlanterError) throw e;
        throw new PlanterError('not-found', `no exported file ${file}: export it first`);
      }
      const n = Math.max(0, Math.min(length, size - offset));
      const buf = Buffer.alloc(n);
      const fd = openSync(path, 'r');
      try {
        if (n > 0) readSync(fd, buf, 0, n, offset);
      } finally {
        closeSync(fd);
      }
      return { dataBase64: buf.toString('base64'), sizeBytes: size, done: offset + n >= size };
    },
  };
}
