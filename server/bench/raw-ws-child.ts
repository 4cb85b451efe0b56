/**
 * F1–F3's and M1's baseline: a bare `ws` server. POST /broadcast sends the request body, as it
 * is, to every open socket — the least any server can do to deliver one payload to everyone.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { ChildReply, ChildRequest } from './ipc.js';

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || req.url !== '/broadcast') {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const payload = Buffer.concat(chunks).toString('utf8');
    for (const socket of wss.clients) socket.send(payload);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
const wss = new WebSocketServer({ server, path: '/ws', maxPayload: 64 * 1024 });
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));

function reply(message: ChildReply): void {
  process.send!(message);
}
process.on('message', async (message: ChildRequest) => {
  if (message.type === 'rss') {
    for (let i = 0; i < 3; i++) {
      globalThis.gc?.();
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    reply({ type: 'rss', rss: process.memoryUsage().rss, heapUsed: process.memoryUsage().heapUsed });
  } else if (message.type === 'stop') {
    for (const socket of wss.clients) socket.terminate();
    wss.close();
    server.close(() => process.exit(0));
  }
});
reply({ type: 'ready', port: (server.address() as AddressInfo).port });
