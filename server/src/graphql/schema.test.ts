import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../config/env.js';
import { buildRenkeiSchema } from './schema.js';
import { accessRuleOf } from './access.js';
import { printRenkeiSchema } from './print-schema.js';

describe('the GraphQL contract', () => {
  it('declares who may call every root field (public said explicitly)', async () => {
    const schema = await buildRenkeiSchema();
    const undeclared: string[] = [];
    const rules: Record<string, string> = {};
    for (const type of [schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()]) {
      for (const field of Object.values(type?.getFields() ?? {})) {
        const rule = accessRuleOf(field);
        if (!rule) undeclared.push(`${type!.name}.${field.name}`);
        else rules[`${type!.name}.${field.name}`] = rule;
      }
    }
    expect(undeclared).toEqual([]);
    // Changing a challenge or the organisation chart is the desk's alone.
    for (const [field, rule] of Object.entries(rules)) {
      if (/^Mutation\.(create|update|open|close|publish|unpublish)Challenge$|^Mutation\.(create|rename|retire)Section$/.test(field)) expect([field, rule]).toEqual([field, 'desk']);
    }
  });

  it('matches the committed schema/schema.graphql (run `pnpm --filter @renkei/server schema:emit` after changing the API)', async () => {
    const committed = fs.readFileSync(path.join(repoRoot, 'schema', 'schema.graphql'), 'utf8');
    expect(await printRenkeiSchema()).toBe(committed);
  });
});
