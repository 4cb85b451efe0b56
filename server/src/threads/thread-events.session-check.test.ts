import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import type { AccountViewer } from '../identity/viewer.js';
import { openDatabase } from '../db/orm.js';
import { postMessage } from './thread.service.js';
import { prepareDialogues, type Dialogue } from '../events/faults/fault-kit.js';
import { createTestDatabase, type TestDatabase } from '../../test/database.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { subscribe } from '../../test/graphql-client.js';

/**
 * A live event whose session check fails while the audience's view is still being read (the
 * database going away does this; here the platform's role loses the right to read sessions and the
 * viewer-change counter) ends
 * that stream with an error — and is never an unhandled rejection, which would end the process.
 */

const EVENTS = `subscription($p: ID!, $after: String) { threadEvents(proposalId: $p, after: $after) { cursor kind messageId } }`;
const role = `renkei_check_${randomBytes(4).toString('hex')}`;
// A password of its own: the embedded PostgreSQL asks for one (SCRAM), a trusting server ignores it.
const rolePassword = randomBytes(12).toString('hex');
let db: TestDatabase;
let platformOrm: Awaited<ReturnType<typeof openDatabase>>;
let server: TestServer;
let dialogue: Dialogue;

beforeAll(async () => {
  db = await createTestDatabase();
  const sql = db.orm.em.fork().getConnection();
  // The platform connects as a role of its own, so that one right can be taken from it mid-stream.
  await sql.execute(`create role ${role} login password '${rolePassword}'`);
  await sql.execute(`grant all on all tables in schema public to ${role}`);
  await sql.execute(`grant all on all sequences in schema public to ${role}`);
  const url = new URL(db.url);
  url.username = role;
  url.password = rolePassword;
  platformOrm = await openDatabase(url.toString(), 5);
  server = await startTestServer({}, { url: url.toString(), name: db.name, orm: platformOrm, dispose: async () => undefined });
  [dialogue] = (await prepareDialogues(db.orm, server.httpUrl, 1)) as [Dialogue];
});

afterAll(async () => {
  await server?.stop();
  await platformOrm?.close();
  const sql = db?.orm.em.fork().getConnection();
  await sql?.execute(`drop owned by ${role}`).catch(() => undefined);
  await sql?.execute(`drop role if exists ${role}`).catch(() => undefined);
  await db?.dispose();
});

it('a failing session check ends the stream with an error, never as an unhandled rejection', { timeout: 60_000 }, async () => {
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  process.on('unhandledRejection', record);
  const client = dialogue.desk.websocket(server.wsUrl);
  try {
    const { liveCursor } = await dialogue.desk.ok<{ liveCursor: string }>('{ liveCursor }');
    const watch = subscribe<{ threadEvents: { kind: string } }>(client, EVENTS, { p: dialogue.proposalId, after: liveCursor });
    const [desk] = await db.orm.em.fork().getConnection().execute<Array<{ id: string }>>(`select id from account where role = ?`, [Role.DESK]);
    const viewer: AccountViewer = { kind: 'account', accountId: desk!.id, role: Role.DESK, sectionId: null, organisationId: null };
    // The stream is live: the first message arrives.
    await postMessage(db.orm.em.fork(), viewer, dialogue.threadId, '一通目', null, null);
    await watch.collected.until((items) => items.some((i) => i.data?.threadEvents.kind === 'MESSAGE_POSTED'), 20_000);

    const first = await db.orm.em.fork().getConnection().execute<Array<{ id: string }>>(`select id from message where body = '一通目'`);
    // The check reads the viewer-change counter, then any session it does not know yet: both refused.
    // (The audience's view is read meanwhile; a failure of either must reach the stream, not the process.)
    const sql = db.orm.em.fork().getConnection();
    await sql.execute(`revoke select on session, viewer_change from ${role}`);
    const [{ t0 }] = (await sql.execute<Array<{ t0: string }>>(`select clock_timestamp()::text as t0`)) as [{ t0: string }];
    // An event about the first message again, written straight into the outbox.
    await sql.execute(
      `insert into domain_event (topic, kind, aggregate_id, payload, occurred_at) values (?, 'MESSAGE_POSTED', ?, ?::jsonb, now())`,
      [`thread:${dialogue.proposalId}`, dialogue.proposalId, JSON.stringify({ threadId: dialogue.threadId, messageId: first[0]!.id, audience: 'SHARED' })],
    );
    await sql.execute(`select pg_notify('renkei_events', '')`);
    // The session check for this event ran (and failed): a platform connection finished it after t0.
    const checked = async () =>
      Number(
        (
          await sql.execute<Array<{ n: number }>>(
            `select count(*)::int as n from pg_stat_activity where usename = ? and state like 'idle%' and query like '%from viewer_change%' and state_change > ?::timestamptz`,
            [role, t0],
          )
        )[0]!.n,
      );
    await expect.poll(checked, { timeout: 20_000, interval: 50 }).toBeGreaterThan(0);
    await expect.poll(() => watch.collected.errors.length + watch.collected.items.filter((i) => i.errors).length, { timeout: 20_000 }).toBeGreaterThan(0);
    // The event was never delivered without its check.
    expect(watch.collected.items.filter((i) => i.data?.threadEvents.kind === 'MESSAGE_POSTED')).toHaveLength(1);
    // The check failed before the error reached us: a rejection left unhandled would have been reported by now.
    expect(unhandled).toEqual([]);
  } finally {
    process.off('unhandledRejection', record);
    await client.dispose();
  }
});
