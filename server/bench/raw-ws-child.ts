/**
 * F1–F3's and M1's baseline: a bare `ws` server. POST /broadcast sends the request body, as it
 * is, to every open socket on /ws — the least any server can do to deliver one payload to everyone.
 *
 * For the delivery figures' floor (logged, not a goal) it also speaks just enough of graphql-ws on
 * /graphql for real graphql-ws clients to subscribe: POST /broadcast-graphql-ws sends the body as
 * the payload of a `next` message to every subscription, with no work per event at all. What the
 * platform is measured against then shows how much of the ratio the clients themselves take.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { handleProtocols } from 'graphql-ws';
import type { ChildReply, ChildRequest } from './ipc.js';

/** The graphql-ws subscriptions: their socket and their frame's head, ready to take a payload. */
const subscriptions = new Map<string, { socket: WebSocket; head: string }>();

const server = http.createServer((req, res) => {
  if (req.method !== 'POST' || (req.url !== '/broadcast' && req.url !== '/broadcast-graphql-ws')) {
    res.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const payload = Buffer.concat(chunks).toString('utf8');
    if (req.url === '/broadcast') for (const socket of wss.clients) socket.send(payload);
    else for (const { socket, head } of subscriptions.values()) socket.send(`${head}${payload}}`);
    res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
  });
});
const wss = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024 });
const graphqlWs = new WebSocketServer({ noServer: true, maxPayload: 64 * 1024, handleProtocols });
server.on('upgrade', (req, socket, head) => {
  const target = req.url === '/ws' ? wss : req.url === '/graphql' ? graphqlWs : null;
  if (!target) return void socket.destroy();
  target.handleUpgrade(req, socket, head, (ws) => target.emit('connection', ws, req));
});
let opened = 0;
graphqlWs.on('connection', (socket: WebSocket) => {
  const mine = new Set<string>();
  const prefix = `${(opened += 1)}:`;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as { type: string; id?: string };
    if (message.type === 'connection_init') socket.send('{"type":"connection_ack"}');
    else if (message.type === 'ping') socket.send('{"type":"pong"}');
    else if (message.type === 'subscribe' && message.id) {
      mine.add(message.id);
      subscriptions.set(prefix + message.id, { socket, head: `{"id":${JSON.stringify(message.id)},"type":"next","payload":` });
    } else if (message.type === 'complete' && message.id) subscriptions.delete(prefix + message.id);
  });
  socket.on('close', () => {
    for (const id of mine) subscriptions.delete(prefix + id);
  });
});
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
    for (const socket of [...wss.clients, ...graphqlWs.clients]) socket.terminate();
    wss.close();
    graphqlWs.close();
    server.close(() => process.exit(0));
  }
});
reply({ type: 'ready', port: (server.address() as AddressInfo).port });
