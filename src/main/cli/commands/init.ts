import { basename, resolve } from 'node:path';
import { PlanterError } from '../../../shared/errors';
import { ProjectStore } from '../../store/project-store';
import { JSON_FLAG, PROJECT_FLAG, bool, str, type Command } from '../command';

export const initCommand: Command = {
  name: 'init',
  summary: 'Create an empty project folder (a SQLite database plus room for models and exports).',
  flags: { project: PROJECT_FLAG, name: { type: 'string', description: 'display name (default: the folder name)', placeholder: 'NAME' }, json: JSON_FLAG },
  async run(args, io) {
    const dir = resolve(str(args, 'project')!);
    if (ProjectStore.isProject(dir)) throw new PlanterError('conflict', `a project already exists in ${dir}`);
    const name = str(args, 'name') ?? basename(dir);
    ProjectStore.create(dir, name).close();
    if (bool(args, 'json')) io.out(JSON.stringify({ project: dir, name }));
    else io.out(`created project "${name}" in ${dir}`);
    return 0;
  },
};
