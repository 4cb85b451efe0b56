import type { Page } from 'playwright-core';
import { DEMO_PASSWORD, DESK1, GraphQLClient } from './api.ts';
import { newPerson, watchPage } from './browser.ts';
import type { E2E } from './suite.ts';
import { LoginPage } from '../pages/LoginPage.ts';

/** A person in a browser of their own (a separate context), signed in as a demo account. */
export async function signedIn(e2e: E2E, name: string, email: string): Promise<Page> {
  const context = e2e.track(await newPerson(e2e.browser, e2e.baseURL));
  const page = await context.newPage();
  e2e.addDiagnostics(watchPage(page, name));
  await page.goto(LoginPage.path);
  await new LoginPage(page).login(email, DEMO_PASSWORD);
  return page;
}

/**
 * Set-up, not under test: the desk moves the demo proposal under review (the proposer's) into
 * dialogue through the API, and its id and title are returned.
 */
export async function demoProposalInDialogue(baseURL: string): Promise<{ id: string; title: string }> {
  const desk = await GraphQLClient.create(baseURL);
  try {
    await desk.login(DESK1);
    const { proposals } = await desk.query<{ proposals: { edges: { node: { id: string; title: string; version: number } }[] } }>(
      `{ proposals(first: 5, filter: { states: [UNDER_REVIEW] }) { edges { node { id title version } } } }`,
    );
    const target = proposals.edges[0]?.node;
    if (!target) throw new Error('the demo data has no proposal under review');
    await desk.query(`mutation($id: ID!, $v: Int!) { startProposalDialogue(id: $id, expectedVersion: $v) { id } }`, { id: target.id, v: target.version });
    return { id: target.id, title: target.title };
  } finally {
    await desk.dispose();
  }
}
