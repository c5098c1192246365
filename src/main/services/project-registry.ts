import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { privateDir } from '../store/private-files';
import { basename, join, resolve } from 'node:path';
import type { ProjectSummary } from '../../shared/contract';
import { ProjectId } from '../../shared/contract';
import { PlanterError } from '../../shared/errors';
import { ProjectStore } from '../store/project-store';
import { ModelsRepo } from '../store/models-repo';

/**
 * Knows where projects live: `<dataDir>/projects/<id>/` for the UI's own projects, plus folders the
 * CLI names explicitly (`--project ./somewhere`). Keeps one open store per project.
 */
export class ProjectRegistry {
  readonly dataDir: string;
  readonly #external = new Map<string, string>();
  readonly #open = new Map<string, ProjectStore>();
  readonly #nativeBinding: string | undefined;

  constructor(dataDir: string, options: { nativeBinding?: string | undefined } = {}) {
    this.dataDir = dataDir;
    this.#nativeBinding = options.nativeBinding;
    privateDir(this.projectsDir);
  }

  get projectsDir(): string {
    return join(this.dataDir, 'projects');
  }

  dirOf(id: string): string {
    return this.#external.get(id) ?? join(this.projectsDir, id);
  }

  exists(id: string): boolean {
    return ProjectStore.isProject(this.dirOf(id));
  }

  /** Makes a project folder outside the data folder addressable by id (CLI only). */
  register(dir: string): string {
    const abs = resolve(dir);
    for (const [id, path] of this.#external) if (path === abs) return id;
    const base = basename(abs).toLowerCase().replace(/[^a-z0-9-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 50) || 'project';
    let id = base;
    for (let n = 2; this.#external.has(id) || existsSync(join(this.projectsDir, id)); n++) id = `${base}-${n}`;
    this.#external.set(id, abs);
    return id;
  }

  get(id: string): ProjectStore {
    const cached = this.#open.get(id);
    if (cached) return cached;
    if (!this.exists(id)) throw new PlanterError('not-found', `no project "${id}"`);
    const store = ProjectStore.open(this.dirOf(id), this.#opts());
    // A run still marked 'running' belongs to a process that died: its checkpoints stay for resuming.
    if (!store.db.readonly) new ModelsRepo(store.db).failInterruptedRuns();
    this.#open.set(id, store);
    return store;
  }

  create(id: string, name: string, options: { demo?: boolean } = {}): ProjectStore {
    if (this.exists(id)) throw new PlanterError('conflict', `a project "${id}" already exists`);
    const store = ProjectStore.create(this.dirOf(id), name, { ...this.#opts(), ...options });
    this.#open.set(id, store);
    return store;
  }

  /**
   * Builds a project in a hidden folder and renames it into place when `build` succeeds, so a
   * crash or failure mid-way never leaves a half-built project visible.
   */
  async createAtomically(id: string, name: string, options: { demo?: boolean }, build: (store: ProjectStore) => Promise<void>): Promise<ProjectStore> {
    if (this.exists(id)) throw new PlanterError('conflict', `a project "${id}" already exists`);
    const staging = join(this.projectsDir, `.${id}.building`);
    rmSync(staging, { recursive: true, force: true });
    const store = ProjectStore.create(staging, name, { ...this.#opts(), ...options });
    try {
      await build(store);
      store.checkpointWal();
    } finally {
      store.close();
    }
    try {
      renameSync(staging, this.dirOf(id));
    } catch (e) {
      rmSync(staging, { recursive: true, force: true });
      throw e;
    }
    return this.get(id);
  }

  discardStaging(id: string): void {
    rmSync(join(this.projectsDir, `.${id}.building`), { recursive: true, force: true });
  }

  summary(id: string): ProjectSummary {
    const store = this.get(id);
    return {
      id,
      name: store.getMeta('name') ?? id,
      createdAt: store.getMeta('created_at') ?? '',
      documents: store.documents.count(),
      labels: store.labels.count(),
      demo: store.getMeta('demo') === '1',
    };
  }

  ids(): string[] {
    const own = readdirSync(this.projectsDir, { withFileTypes: true })
      .filter((d) => d.isDirectory() && ProjectId.safeParse(d.name).success && ProjectStore.isProject(join(this.projectsDir, d.name)))
      .map((d) => d.name);
    return [...new Set([...own, ...this.#external.keys()])].sort();
  }

  /** Whether the project's folder is one the command line named (outside the data folder). */
  isExternal(id: string): boolean {
    return this.#external.has(id);
  }

  /** Closes the project and removes its folder (callers check jobs and confirmation first). */
  delete(id: string): void {
    if (!this.exists(id)) throw new PlanterError('not-found', `no project "${id}"`);
    if (this.#external.has(id)) throw new PlanterError('conflict', `project "${id}" lives outside Planter's data folder (${this.dirOf(id)}); delete that folder yourself if you mean to`);
    this.#open.get(id)?.close();
    this.#open.delete(id);
    // Renamed out of the way first, so a half-removed folder never looks like a project.
    const doomed = join(this.projectsDir, `.${id}.deleting`);
    rmSync(doomed, { recursive: true, force: true });
    renameSync(this.dirOf(id), doomed);
    rmSync(doomed, { recursive: true, force: true });
  }

  closeAll(): void {
    for (const s of this.#open.values()) s.close();
    this.#open.clear();
  }

  #opts(): { nativeBinding?: string } {
    return this.#nativeBinding ? { nativeBinding: this.#nativeBinding } : {};
  }
}
