import type { LabelIndexData } from './label-index-data';

/** To the worker: a catalogue to index (its rows, or the raw `labels.catalogue` reply to parse there). */
export type BuildRequest = { type: 'rows'; rows: string; version: string } | { type: 'reply'; replyText: string };

/** From the worker: the built index (its typed arrays transferred), or why it failed. */
export type BuildResponse = { type: 'built'; data: LabelIndexData; buildMs: number } | { type: 'error'; message: string };
