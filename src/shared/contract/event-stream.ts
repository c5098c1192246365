import { z } from 'zod';

/**
 * Frames on the browser-mode event stream (`/api/events`). Every event carries the main side's
 * sequence number so a page that lost its socket can reconnect with `?since=<last seq>` and be
 * sent what it missed instead of silently losing a job's end.
 */
export const EventSeq = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

/** The query parameter a reconnecting page names its last sequence number with. */
export const EVENT_SINCE_PARAM = 'since';
/** Decimal digits only: anything else is refused before the socket opens. */
export const EVENT_SINCE_PATTERN = /^\d{1,15}$/;

export const EventFrame = z.discriminatedUnion('kind', [
  /** First frame of every connection: the sequence number of the newest event so far. */
  z.object({ kind: z.literal('hello'), seq: EventSeq }),
  /** One event; its payload is checked against `events[event]` by the receiver. */
  z.object({ kind: z.literal('event'), seq: EventSeq, event: z.string(), payload: z.unknown() }),
  /**
   * The main side can no longer say what was missed since the page's `since` (it restarted, or
   * forgot that far back): the page must reload its state from scratch.
   */
  z.object({ kind: z.literal('gap'), seq: EventSeq }),
]);
export type EventFrame = z.infer<typeof EventFrame>;
