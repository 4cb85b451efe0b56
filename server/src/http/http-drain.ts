import type { Server, ServerResponse } from 'node:http';

/**
 * Stopping the HTTP server so that every request it has begun is answered.
 *
 * Apollo's drain plugin half-closes (`end()`) every connection it has not yet seen a request on.
 * Under load a request can already be in the socket's buffer then: Node still reads and runs it
 * — a message committed — but its answer cannot be written to the ended socket, and the client
 * is told the connection closed (the SIGTERM fault suite caught this). Node's own `close()`
 * instead destroys only connections whose parser holds no request, so a request either runs and
 * is answered or is never read (the client gets a reset and may retry it safely).
 */
export function httpDrain(server: Server, graceMs = 10_000): { drain(): Promise<void> } {
  let draining = false;
  const inFlight = new Set<ServerResponse>();
  server.on('request', (_request, response: ServerResponse) => {
    // While draining, every answer closes its connection once written.
    if (draining) response.shouldKeepAlive = false;
    inFlight.add(response);
    response.once('finish', () => {
      // An answer begun before the drain may have kept its connection alive: close it once idle.
      if (draining) setImmediate(() => server.closeIdleConnections());
    });
    response.once('close', () => inFlight.delete(response));
  });
  return {
    async drain() {
      draining = true;
      for (const response of inFlight) if (!response.headersSent) response.shouldKeepAlive = false;
      // close() stops accepting and closes the connections that are idle by the parser's state.
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      const force = setTimeout(() => server.closeAllConnections(), graceMs);
      force.unref();
      await closed;
      clearTimeout(force);
    },
  };
}
