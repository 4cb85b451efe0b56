import type { EntityManager } from '@mikro-orm/postgresql';
import { Membership } from './membership.entity.js';

/** The organisation a person belongs to now, or null: read per request, so leaving ends access at once. */
export async function activeOrganisationIdOf(em: EntityManager, accountId: string): Promise<string | null> {
  const membership = await em.findOne(Membership, { account: accountId, leftAt: null }, { fields: ['organisation'] });
  return membership?.organisation.id ?? null;
}
