import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { EVENT_SINCE_PARAM, EVENT_SINCE_PATTERN, type EventFrame } from '../../shared/contract';
import type { EventHub } from '../core/event-hub';
import type { AuthGate } from './auth';

export interface EventStream {
  /** The server's `'upgrade'` listener: `/api/events` with the token becomes a one-way event socket. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Drops every open socket. */
  close(): void;
}

/**
 * Events over a WebSocket: a hello with the current sequence number, then (when the client sends
 * `since`) what it missed or a gap, then the live stream. Clients never send anything.
 */
export function createEventStream(events: EventHub, authorised: AuthGate): EventStream {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols: (protocols) => [...protocols].find((p) => p.startsWith('planter.')) ?? false });
  return {
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://x');
      if (url.pathname !== '/api/events' || !authorised(req, null)) {
        socket.write('HTTP/1.1 401 Unauthorized\r\nConnection: close\r\n\r\n');
        socket.destroy();
        return;
      }
      const sinceParam = url.searchParams.get(EVENT_SINCE_PARAM);
      if (sinceParam !== null && !EVENT_SINCE_PATTERN.test(sinceParam)) {
        socket.write(`HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n${EVENT_SINCE_PARAM} must be a sequence number`);
        socket.destroy();
        return;
      }
      sockets.handleUpgrade(req, socket, head, (ws: WebSocket) => {
        const sendFrame = (frame: EventFrame): void => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(frame));
        };
        // Hello, the missed events and the subscription happen in one turn of the event loop, so
        // no event can fall between the replay and the live stream.
        sendFrame({ kind: 'hello', seq: events.seq });
        if (sinceParam !== null) {
          const missed = events.since(Number(sinceParam));
          if (missed === 'gap') sendFrame({ kind: 'gap', seq: events.seq });
          else for (const e of missed) sendFrame({ kind: 'event', ...e });
        }
        const off = events.on((event, payload, seq) => sendFrame({ kind: 'event', seq, event, payload }));
        ws.on('close', off);
        ws.on('error', off);
        ws.on('message', () => ws.close(1008, 'events are one-way; use POST /api/call'));
      });
    },
    close() {
      for (const c of sockets.clients) c.terminate();
      sockets.close();
    },
  };
}
