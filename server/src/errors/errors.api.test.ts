import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Role } from '../identity/account.entity.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession, subscribe } from '../../test/graphql-client.js';
import { CHALLENGE_INPUT, TEST_PASSWORD, createAccount } from '../../test/factories.js';
import { Challenge } from '../challenges/challenge.entity.js';

let server: TestServer;
let desk: HttpSession;

beforeAll(async () => {
  server = await startTestServer();
  const account = await createAccount(server.db.orm.em.fork(), Role.DESK);
  desk = await new HttpSession(server.httpUrl).login(account.email, TEST_PASSWORD);
});
afterAll(async () => {
  await server?.stop();
});

async function post(body: string, contentType = 'application/json'): Promise<{ status: number; text: string }> {
  const response = await fetch(server.httpUrl, { method: 'POST', headers: { 'content-type': contentType, ...(desk.cookie ? { cookie: desk.cookie } : {}) }, body });
  return { status: response.status, text: await response.text() };
}

describe('bad requests get a coded answer and no internals', () => {
  it('malformed GraphQL', async () => {
    const { status, text } = await post(JSON.stringify({ query: '{ challenges { ' }));
    expect(status).toBe(400);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('GRAPHQL_PARSE_FAILED');
    expect(text).not.toMatch(/at .*\.(js|ts):\d+/);
  });

  it('malformed JSON', async () => {
    const { status, text } = await post('{"query": ');
    expect(status).toBe(400);
    expect(JSON.parse(text).errors[0].extensions.code).toBe('BAD_REQUEST');
    expect(text).not.toMatch(/SyntaxError|node_modules|at /);
  });

  it('a value of the wrong type', async () => {
    const result = await desk.request('mutation($input: ChallengeInput!) { createChallenge(input: $input) { id } }', { input: { ...CHALLENGE_INPUT, title: 123 } });
    expect(result.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
  });

  it('a field that does not exist', async () => {
    const result = await desk.request('{ challenges { secretField } }');
    expect(result.errors?.[0]?.extensions?.code).toBe('GRAPHQL_VALIDATION_FAILED');
  });

  it('batched requests are refused', async () => {
    const { status, text } = await post(JSON.stringify([{ query: '{ me { id } }' }, { query: '{ me { id } }' }]));
    expect(status).toBe(400);
    expect(text).not.toContain('"me"');
  });

  it('text with a NUL character is refused by field, not failed in SQL', async () => {
    const before = await server.db.orm.em.fork().count(Challenge, {});
    const result = await desk.request('mutation($input: ChallengeInput!) { createChallenge(input: $input) { id } }', { input: { ...CHALLENGE_INPUT, title: 'a\u0000b' } });
    expect(result.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', fields: [expect.objectContaining({ field: 'input.title', code: 'INVALID' })] });
    expect(await server.db.orm.em.fork().count(Challenge, {})).toBe(before);
  });
});

describe('an unexpected failure', () => {
  it('is masked with a request id on HTTP and on websockets, never showing SQL', async () => {
    // Break this test file's own database the way a bad deploy would.
    await server.db.orm.em.getConnection().execute('alter table challenge rename to challenge_gone');
    try {
      const response = await fetch(server.httpUrl, { method: 'POST', headers: { 'content-type': 'application/json', cookie: desk.cookie! }, body: JSON.stringify({ query: '{ challenges { totalCount } }' }) });
      const http = (await response.json()) as { errors?: Array<{ message: string; extensions?: Record<string, unknown> }> };
      const error = http.errors?.[0];
      // The id shown to the user is the one in the response header and in the server's log line.
      expect(error?.extensions?.requestId).toBe(response.headers.get('x-request-id'));
      expect(error?.message).toBe('Internal server error');
      expect(error?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
      expect(error?.extensions?.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.stringify(http)).not.toMatch(/challenge_gone|select|relation|from "challenge"/i);

      const client = desk.websocket(server.wsUrl);
      try {
        const { collected } = subscribe(client, '{ challenges { totalCount } }');
        const [ws] = await collected.until((all) => all.length === 1);
        expect(ws!.errors?.[0]).toMatchObject({ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR' } });
        expect(JSON.stringify(ws)).not.toMatch(/challenge_gone|select|relation/i);
      } finally {
        await client.dispose();
      }
    } finally {
      await server.db.orm.em.getConnection().execute('alter table challenge_gone rename to challenge');
    }
  });
});
