import { WebSocket } from 'ws';

/**
 * A graphql-ws client that keeps every frame it receives, raw, and how the socket closed: what a
 * leak test must inspect is the wire itself, not what a client library chose to surface.
 */
export class RawSubscriber {
  readonly frames: string[] = [];
  closeReason = '';
  private readonly socket: WebSocket;
  private readonly ready: Promise<void>;
  private nextId = 1;

  constructor(url: string, cookie: string | undefined) {
    this.socket = new WebSocket(url, 'graphql-transport-ws', { headers: cookie ? { cookie } : {} });
    this.socket.on('message', (data) => this.frames.push(data.toString()));
    this.socket.on('close', (code, reason) => {
      this.closeReason = `${code} ${reason.toString()}`;
    });
    this.ready = new Promise((resolve, reject) => {
      this.socket.on('error', reject);
      this.socket.on('open', () => this.socket.send(JSON.stringify({ type: 'connection_init', payload: {} })));
      this.socket.on('message', (data) => {
        if (JSON.parse(data.toString()).type === 'connection_ack') resolve();
      });
      this.socket.on('close', () => resolve());
    });
  }

  async subscribe(query: string, variables: Record<string, unknown>): Promise<void> {
    await this.ready;
    if (this.socket.readyState !== WebSocket.OPEN) return;
    this.socket.send(JSON.stringify({ id: String(this.nextId++), type: 'subscribe', payload: { query, variables } }));
  }

  /** Everything that came over the wire, close reason included. */
  text(): string {
    return `${this.frames.join('\n')}\n${this.closeReason}`;
  }

  close(): void {
    this.socket.close();
  }
}
