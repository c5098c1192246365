import { JSON_FLAG, PROJECT_FLAG, bool, str, type Command } from '../command';
import { withSession } from '../session';

export const initCommand: Command = {
  name: 'init',
  summary: 'Create an empty project folder (a SQLite database plus room for models and exports).',
  flags: { project: PROJECT_FLAG, name: { type: 'string', description: 'display name (default: the folder name)', placeholder: 'NAME' }, json: JSON_FLAG },
  run: (args, io) =>
    withSession(async (session) => {
      const name = str(args, 'name');
      const made = await session.call('projects.init', { path: str(args, 'project')!, ...(name !== undefined ? { name } : {}) });
      if (bool(args, 'json')) io.out(JSON.stringify({ project: made.path, name: made.name }));
      else io.out(`created project "${made.name}" in ${made.path}`);
      return 0;
    }),
};
