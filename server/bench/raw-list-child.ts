/**
 * Q1's baseline: node:http and a pg pool, running for each request the statements the full stack
 * ran for one page of the desk's proposal list (captured from the platform, values included), one
 * after the other on one pooled connection as the ORM does, and answering their rows as JSON.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import type { ChildReply, ChildRequest } from './ipc.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });
let statements: Array<{ text: string; values: unknown[] }> = [];

const server = http.createServer(async (_req, res) => {
  const client = await pool.connect();
  try {
    const results: unknown[] = [];
    for (const statement of statements) results.push((await client.query(statement.text, statement.values)).rows);
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ data: results }));
  } catch (error) {
    res.writeHead(500).end(String(error));
  } finally {
    client.release();
  }
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));

process.on('message', async (message: ChildRequest) => {
  if (message.type === 'init') {
    statements = message.payload as typeof statements;
    process.send!({ type: 'ok' } satisfies ChildReply);
  } else if (message.type === 'stop') {
    server.close();
    await pool.end();
    process.exit(0);
  }
});
process.send!({ type: 'ready', port: (server.address() as AddressInfo).port } satisfies ChildReply);
