import { appRoot, defaultDataDir, rendererDir } from '../../app/paths';
import { demoLanguageOf, ensureDemo } from '../../services/demo';
import { startWebHost } from '../../web/server';
import { bool, int, str, type Command } from '../command';
import { UsageError } from '../io';
import { CliSession } from '../session';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const serveCommand: Command = {
  name: 'serve',
  summary:
    'Serve the Planter UI on 127.0.0.1 (browser mode) over the same services as the desktop app. Prints the URL with its per-run token; stops on Ctrl-C.',
  flags: {
    project: { type: 'string', description: 'also open this project folder (default: the projects in the data folder, demo included)', placeholder: 'DIR' },
    port: { type: 'int', min: 0, max: 65535, description: 'port on 127.0.0.1 (default: any free port)', placeholder: 'N' },
    'data-dir': { type: 'string', description: 'data folder (default: $PLANTER_HOME or ~/.planter)', placeholder: 'DIR' },
    'no-demo': { type: 'boolean', description: 'do not create the bundled demo project on first start' },
    'demo-language': { type: 'string', description: 'en (default) or es: the demo in its original Spanish with CodiEsp\'s evidence spans (project demo-es)', placeholder: 'LANG' },
    'url-file': { type: 'string', description: 'also write the URL (with token) to this file, for scripts', placeholder: 'FILE' },
  },
  async run(args, io) {
    const port = int(args, 'port') ?? 0;
    const staticDir = rendererDir(appRoot());
    if (!existsSync(join(staticDir, 'index.html'))) throw new UsageError(`the UI is not built (${staticDir} is missing); run: npm run build`);
    // Training, imports, exports and the label-errors audit's linear models run in worker threads so the web host keeps answering.
    const { spawnTrainingWorker, spawnLexicalWorker } = await import('../../app/training-worker');
    const { spawnStoreWorker } = await import('../../app/store-worker');
    const session = new CliSession(resolve(str(args, 'data-dir') ?? defaultDataDir()), { spawnTrainingWorker, spawnLexicalWorker, spawnStoreWorker });
    const project = str(args, 'project');
    if (project) session.project(project);
    if (!bool(args, 'no-demo')) ensureDemo(session.services.context, demoLanguageOf(str(args, 'demo-language') ?? process.env.PLANTER_DEMO_LANGUAGE));
    const host = await startWebHost({ services: session.services, staticDir, port, token: process.env.PLANTER_TOKEN || undefined });
    io.out(`Planter is serving on ${host.openUrl}`);
    const urlFile = str(args, 'url-file');
    if (urlFile) {
      const { rmSync, writeFileSync } = await import('node:fs');
      // The URL carries the token. `mode` only applies when the file is created: an existing file
      // (or one planted with wider permissions, or a link) would keep its permissions and expose
      // it. Remove whatever is there and create a fresh file readable by this user only.
      try {
        rmSync(urlFile, { force: true });
        writeFileSync(urlFile, `${host.openUrl}\n`, { mode: 0o600, flag: 'wx' });
      } catch (e) {
        await host.close();
        await session.dispose();
        throw new UsageError(`cannot write the URL file ${urlFile} privately: ${(e as Error).message}`);
      }
    }
    await new Promise<void>((done) => {
      const stop = (): void => done();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    await host.close();
    await session.dispose();
    return 0;
  },
};
