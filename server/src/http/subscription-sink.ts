import type { ExecutionResult, FormattedExecutionResult } from 'graphql';
import type { WebSocket } from 'ws';
import type { RequestContext } from '../graphql/context.js';
import type { LiveSink } from '../graphql/live-delivery.js';

/**
 * A subscription's results written straight to its socket by its live group
 * (graphql/live-delivery.ts), framed exactly as graphql-ws frames a `next` message.
 */
export class SubscriptionSink implements LiveSink {
  /** `{"id":…,"type":"next","payload":` for this subscription, made at its first live event. */
  private head: Buffer | null = null;

  constructor(
    private readonly socket: WebSocket,
    private readonly id: string,
    private readonly withErrors: (socket: WebSocket, result: ExecutionResult, context: RequestContext) => FormattedExecutionResult,
  ) {}

  /**
   * One frame per subscriber, made by copying the payload's bytes after this subscription's own
   * head: the payload is encoded once for everyone, and a Buffer goes out without being measured
   * and encoded again for each socket, as a string would. Sent as text, as graphql-ws sends.
   */
  sendNext(payload: Buffer): void {
    const { socket } = this;
    if (socket.readyState !== socket.OPEN) return;
    const head = (this.head ??= Buffer.from(`{"id":${JSON.stringify(this.id)},"type":"next","payload":`));
    const frame = Buffer.allocUnsafe(head.length + payload.length + 1);
    head.copy(frame, 0);
    payload.copy(frame, head.length);
    frame[frame.length - 1] = CLOSING_BRACE;
    socket.send(frame, AS_TEXT);
  }

  sendResult(result: ExecutionResult, context: RequestContext): void {
    const payload = this.withErrors(this.socket, result, context);
    if (this.socket.readyState !== this.socket.OPEN) return;
    this.socket.send(JSON.stringify({ id: this.id, type: 'next', payload }));
  }
}

const CLOSING_BRACE = '}'.charCodeAt(0);
const AS_TEXT = { binary: false } as const;
