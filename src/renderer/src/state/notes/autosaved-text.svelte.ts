import { toApiError } from '../../api/api';

/** Where a text field stands against what the main side holds. */
export type SaveState = 'saved' | 'editing' | 'saving' | 'failed';

/** Saves `text`; resolves with when it was stored (null when the empty text deleted it). */
export type SaveText = (text: string) => Promise<string | null>;

/**
 * A text field that saves itself: a pause in typing (`delayMs`) or `flush()` (on blur) sends the
 * text; one save at a time, and typing during a save sends the newer text after it. `state` says
 * whether what is on screen is stored, for the field's "saved" indicator.
 */
export class AutosavedText {
  text = $state('');
  state = $state<SaveState>('saved');
  /** ISO time of the last stored version; null when nothing is stored. */
  savedAt = $state<string | null>(null);
  error = $state<string | null>(null);

  readonly #save: SaveText;
  readonly #delayMs: number;
  /** The text the main side holds. */
  #stored: string;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #inFlight: Promise<void> | null = null;

  constructor(save: SaveText, initial: { text: string; savedAt: string | null } = { text: '', savedAt: null }, delayMs = 800) {
    this.#save = save;
    this.#delayMs = delayMs;
    this.#stored = initial.text;
    this.text = initial.text;
    this.savedAt = initial.savedAt;
  }

  /** What the user typed: saved after a pause. */
  edit(text: string): void {
    this.text = text;
    this.state = text === this.#stored ? 'saved' : 'editing';
    this.#clearTimer();
    if (this.state === 'editing') this.#timer = setTimeout(() => void this.flush(), this.#delayMs);
  }

  /** Saves now if what is on screen is not stored yet; resolves once nothing is pending. */
  async flush(): Promise<void> {
    this.#clearTimer();
    while (this.#inFlight) await this.#inFlight;
    if (this.text === this.#stored) {
      if (this.state !== 'failed') this.state = 'saved';
      return;
    }
    const text = this.text;
    this.state = 'saving';
    this.error = null;
    this.#inFlight = (async () => {
      try {
        this.savedAt = await this.#save(text);
        this.#stored = text;
        this.state = this.text === text ? 'saved' : 'editing';
      } catch (e) {
        this.state = 'failed';
        this.error = toApiError(e).message;
      } finally {
        this.#inFlight = null;
      }
    })();
    await this.#inFlight;
    // Typed on while it saved: that newer text goes too (TS cannot see the await changed `state`).
    if ((this.state as SaveState) === 'editing') await this.flush();
  }

  /** Stops a pending timer without saving (the owner flushes first when it must keep the text). */
  dispose(): void {
    this.#clearTimer();
  }

  #clearTimer(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
  }
}
