/**
 * Every keyboard action of the annotate view, in one table: the view dispatches from it, buttons
 * show its first key, and the help overlay (?) lists it. Keys are `KeyboardEvent.key` values;
 * "Shift+" is spelled out where it matters (u undo, Shift+U redo).
 */
export type AnnotateAction =
  | 'next-row'
  | 'prev-row'
  | 'accept'
  | 'accept-nth'
  | 'reject'
  | 'remove'
  | 'picker'
  | 'undo'
  | 'redo'
  | 'done'
  | 'skip'
  | 'review'
  | 'next-doc'
  | 'prev-doc'
  | 'evidence'
  | 'attach-span'
  | 'select-words'
  | 'similar'
  | 'more-of-label'
  | 'retrain'
  | 'focus-queue'
  | 'accept-all'
  | 'label-similar'
  | 'mark-queue'
  | 'note'
  | 'label-note'
  | 'guidelines'
  | 'help';

export interface KeyBinding {
  action: AnnotateAction;
  keys: string[];
  /** What the help overlay says. */
  label: string;
  group: 'Suggestions' | 'Document' | 'Queue' | 'Model' | 'Help';
  /** The keys are a run (1 … 9): the help shows the first and the last. */
  range?: true;
}

export const ANNOTATE_KEYS: readonly KeyBinding[] = [
  { action: 'next-row', keys: ['j', 'ArrowDown'], label: 'Next suggestion or label', group: 'Suggestions' },
  { action: 'prev-row', keys: ['k', 'ArrowUp'], label: 'Previous suggestion or label', group: 'Suggestions' },
  { action: 'accept', keys: ['a'], label: 'Accept the selected label', group: 'Suggestions' },
  { action: 'accept-nth', keys: ['1', '2', '3', '4', '5', '6', '7', '8', '9'], label: 'Accept the n-th suggestion (1 = the top one) and select it', group: 'Suggestions', range: true },
  { action: 'reject', keys: ['r'], label: 'Reject it (kept as a negative example)', group: 'Suggestions' },
  { action: 'remove', keys: ['x'], label: 'Clear it (neither accepted nor rejected)', group: 'Suggestions' },
  { action: 'label-note', keys: ['M'], label: 'Write a note on the selected label (Esc leaves it)', group: 'Suggestions' },
  { action: 'picker', keys: ['/', 'l'], label: 'Add a missed label (picker)', group: 'Suggestions' },
  { action: 'accept-all', keys: ['A'], label: 'Accept every suggestion above its threshold on this document (one undo step)', group: 'Suggestions' },
  { action: 'label-similar', keys: ['b'], label: 'Add the selected label to the most similar documents (preview first)', group: 'Suggestions' },
  { action: 'undo', keys: ['u'], label: 'Undo the last action (also after a restart)', group: 'Document' },
  { action: 'redo', keys: ['U'], label: 'Redo', group: 'Document' },
  { action: 'done', keys: ['d'], label: 'Done: becomes training data; next document', group: 'Document' },
  { action: 'skip', keys: ['s'], label: 'Skip; next document', group: 'Document' },
  { action: 'review', keys: ['v'], label: 'Mark for review; next document', group: 'Document' },
  { action: 'evidence', keys: ['e'], label: 'Show or hide the evidence highlight', group: 'Document' },
  { action: 'select-words', keys: ['w'], label: 'Select words by keyboard: ←/→ a word, ↑/↓ a sentence, with Shift to extend; Enter attaches, Esc leaves', group: 'Document' },
  { action: 'attach-span', keys: ['E'], label: 'Attach the selected text to a label as evidence (then Tab, Enter)', group: 'Document' },
  { action: 'note', keys: ['N'], label: 'Write a note on this document (Esc leaves it; saved as you type)', group: 'Document' },
  { action: 'next-doc', keys: ['n'], label: 'Next document in the queue', group: 'Queue' },
  { action: 'prev-doc', keys: ['p'], label: 'Previous document', group: 'Queue' },
  { action: 'similar', keys: ['f'], label: 'Find similar documents', group: 'Queue' },
  { action: 'more-of-label', keys: ['g'], label: 'Find more examples of the selected label', group: 'Queue' },
  { action: 'focus-queue', keys: ['q'], label: 'Go to the queue settings', group: 'Queue' },
  { action: 'mark-queue', keys: ['B'], label: "Mark every document of the queue's split and status done or skipped (asks first)", group: 'Queue' },
  { action: 'retrain', keys: ['R'], label: 'Retrain now (the few-shot loop)', group: 'Model' },
  { action: 'guidelines', keys: ['G'], label: 'The project guidelines (also from any view)', group: 'Help' },
  { action: 'help', keys: ['?'], label: 'This help', group: 'Help' },
];

const BY_KEY = new Map<string, AnnotateAction>(ANNOTATE_KEYS.flatMap((b) => b.keys.map((k) => [k, b.action] as const)));

/** The action for a key press, or null. Modifier combinations (Ctrl, Alt, Meta) are left to the browser. */
export function actionFor(e: Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'altKey' | 'metaKey'>): AnnotateAction | null {
  if (e.ctrlKey || e.altKey || e.metaKey) return null;
  return BY_KEY.get(e.key) ?? null;
}

/** The key to print on a button ("↓" for ArrowDown, "Shift+U" for U). */
export function keyLabel(action: AnnotateAction): string {
  const key = ANNOTATE_KEYS.find((b) => b.action === action)?.keys[0] ?? '';
  return displayKey(key);
}

export function displayKey(key: string): string {
  if (key === 'ArrowDown') return '↓';
  if (key === 'ArrowUp') return '↑';
  if (key.length === 1 && key >= 'A' && key <= 'Z') return `Shift+${key}`;
  return key;
}

/** True when typing goes into a field, so single-letter shortcuts must stay quiet. */
export function isTypingTarget(target: EventTarget | null): boolean {
  if (!target || typeof (target as HTMLElement).tagName !== 'string') return false;
  const el = target as HTMLElement;
  const tag = el.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable) return true;
  if (tag !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return !['checkbox', 'radio', 'button', 'submit', 'range'].includes(type);
}
