import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logging/logger.js';
import { DEMO_PASSWORD, seedDemoData } from '../seed/demo-data.js';
import { DEMO_ORGANISATIONS } from '../seed/demo-organisations.js';
import { startTestServer, type TestServer } from '../../test/test-server.js';
import { HttpSession } from '../../test/graphql-client.js';
import { isValidCorporateNumber } from './corporate-number.js';
import { Membership } from './membership.entity.js';
import { Organisation } from './organisation.entity.js';

const MY_ORG = '{ myOrganisation { id name kind corporateNumber members { email } } }';
const ORG = 'query($id: ID!) { organisation(id: $id) { id } }';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await seedDemoData(server.db.orm.em.fork(), createLogger('silent'));
});
afterAll(async () => {
  await server?.stop();
});

describe('demo organisations', () => {
  it('have valid 法人番号 and are seeded once, however often seeding runs', async () => {
    for (const seed of DEMO_ORGANISATIONS) expect([seed.organisation.name, isValidCorporateNumber(seed.organisation.corporateNumber!)]).toEqual([seed.organisation.name, true]);
    await seedDemoData(server.db.orm.em.fork(), createLogger('silent'));
    const em = server.db.orm.em.fork();
    expect(await em.count(Organisation, {})).toBe(2);
    expect(await em.count(Membership, {})).toBe(2);
  });

  it('let each demo proposer sign in to their own organisation and not see the other', async () => {
    const lab = await new HttpSession(server.httpUrl).login('proposer@demo.renkei.jp', DEMO_PASSWORD);
    const npo = await new HttpSession(server.httpUrl).login('npo@demo.renkei.jp', DEMO_PASSWORD);
    const labOrg = (await lab.ok(MY_ORG)).myOrganisation;
    const npoOrg = (await npo.ok(MY_ORG)).myOrganisation;
    expect(labOrg).toMatchObject({ name: '株式会社いたばしラボ', kind: 'COMPANY', members: [{ email: 'proposer@demo.renkei.jp' }] });
    expect(npoOrg).toMatchObject({ name: '特定非営利活動法人 いたばし子育てネット', kind: 'NPO', members: [{ email: 'npo@demo.renkei.jp' }] });
    expect((await lab.ok(ORG, { id: npoOrg.id })).organisation).toBeNull();
    expect((await npo.ok(ORG, { id: labOrg.id })).organisation).toBeNull();
  });
});
