import { randomUUID } from 'node:crypto';
import { request, type APIRequestContext } from 'playwright-core';

export const DEMO_PASSWORD = 'renkei-demo-2026';
export const DESK1 = 'desk1@demo.renkei.jp';
export const DESK2 = 'desk2@demo.renkei.jp';

/** A GraphQL client over HTTP that keeps its cookies (one per person). */
export class GraphQLClient {
  private constructor(private readonly http: APIRequestContext) {}

  static async create(baseURL: string): Promise<GraphQLClient> {
    return new GraphQLClient(await request.newContext({ baseURL }));
  }

  async query<T = Record<string, unknown>>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
    const res = await this.http.post('/graphql', {
      headers: { 'content-type': 'application/json' },
      data: { query, variables },
    });
    const text = await res.text();
    let body: { data?: T; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`POST /graphql answered ${res.status()} with non-JSON: ${text.slice(0, 300)}`);
    }
    if (body.errors?.length) {
      const errs = body.errors.map((e) => `${e.extensions?.code ?? '?'}: ${e.message}`).join('; ');
      throw new Error(`GraphQL errors: ${errs}\nquery: ${query.trim().split('\n')[0]}`);
    }
    if (!body.data) throw new Error(`POST /graphql answered ${res.status()} without data`);
    return body.data;
  }

  async login(email: string, password = DEMO_PASSWORD) {
    const data = await this.query<{ login: { id: string; email: string; role: string } }>(
      `mutation Login($email: String!, $password: String!) {
        login(email: $email, password: $password) { id email role }
      }`,
      { email, password },
    );
    return data.login;
  }

  dispose() {
    return this.http.dispose();
  }
}

export interface ChallengeSummary {
  id: string;
  title: string;
  status: 'DRAFT' | 'OPEN' | 'CLOSED';
  published: boolean;
  version: number;
}

const CHALLENGE_FIELDS = 'id title status published version';

/** Challenges the client's viewer may see (the public: published, not draft). */
export async function listChallenges(api: GraphQLClient, first = 50): Promise<ChallengeSummary[]> {
  const data = await api.query<{ challenges: { edges: { node: ChallengeSummary }[] } }>(
    `query Challenges($first: Int) { challenges(first: $first) { edges { node { ${CHALLENGE_FIELDS} } } } }`,
    { first },
  );
  return data.challenges.edges.map((e) => e.node);
}

export async function getChallenge(api: GraphQLClient, id: string): Promise<ChallengeSummary | null> {
  const data = await api.query<{ challenge: ChallengeSummary | null }>(
    `query Challenge($id: ID!) { challenge(id: $id) { ${CHALLENGE_FIELDS} } }`,
    { id },
  );
  return data.challenge;
}

function isoDate(offsetDays: number): string {
  const d = new Date(Date.now() + offsetDays * 86_400_000);
  return d.toISOString().slice(0, 10);
}

/** Creates a challenge (it starts as an unpublished DRAFT) as the signed-in desk member. */
export async function createDraftChallenge(api: GraphQLClient, title: string): Promise<ChallengeSummary> {
  const refs = await api.query<{
    challengeFields: { code: string }[];
    departments: { sections: { id: string; isDesk: boolean; retired: boolean }[] }[];
  }>(`query Refs { challengeFields { code } departments { sections { id isDesk retired } } }`);
  const section = refs.departments.flatMap((d) => d.sections).find((s) => !s.isDesk && !s.retired);
  const data = await api.query<{ createChallenge: ChallengeSummary }>(
    `mutation Create($input: ChallengeInput!, $key: String) {
      createChallenge(input: $input, idempotencyKey: $key) { ${CHALLENGE_FIELDS} }
    }`,
    {
      key: `e2e-${randomUUID()}`,
      input: {
        title,
        description: 'E2E テスト用の下書きです。公開されません。',
        background: 'E2E テストが作成しました。',
        owningSectionId: section?.id ?? null,
        fieldCodes: refs.challengeFields.slice(0, 1).map((f) => f.code),
        periodStart: isoDate(7),
        periodEnd: isoDate(60),
        contact: '公民連携デスク（E2E）',
      },
    },
  );
  return data.createChallenge;
}
