import { chmodSync, existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AnnotatorName } from '../../shared/contract';
import { PRIVATE_FILE_MODE } from '../store/private-files';

/**
 * The annotator name of this app install, in `<dataDir>/annotator.json` (0600: a name next to
 * clinical annotations is personal data). Read on every decision, so a second window or the CLI
 * that changed it is seen at once; a file that is missing or unreadable reads as "no name yet".
 */
export class AnnotatorStore {
  readonly #file: string;

  constructor(dataDir: string) {
    this.#file = join(dataDir, 'annotator.json');
  }

  name(): string | null {
    if (!existsSync(this.#file)) return null;
    try {
      const parsed = AnnotatorName.safeParse((JSON.parse(readFileSync(this.#file, 'utf8')) as { name?: unknown }).name);
      return parsed.success ? parsed.data : null;
    } catch {
      return null;
    }
  }

  /** Writes the name atomically (a temporary file, then rename), private to the user. */
  setName(name: string): string {
    const valid = AnnotatorName.parse(name);
    const temp = `${this.#file}.${process.pid}.tmp`;
    writeFileSync(temp, `${JSON.stringify({ name: valid })}\n`, { mode: PRIVATE_FILE_MODE });
    chmodSync(temp, PRIVATE_FILE_MODE);
    renameSync(temp, this.#file);
    return valid;
  }
}
