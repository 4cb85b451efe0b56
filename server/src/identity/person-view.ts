import type { EntityManager } from '@mikro-orm/postgresql';
import { Membership } from '../organisations/membership.entity.js';
import { Role, type Account } from './account.entity.js';

/**
 * A person as others see them beside a meeting, a thread or a message: name and affiliation.
 * Never an e-mail address or a phone number, because proposers read these lists too.
 */
export interface PersonView {
  accountId: string;
  displayName: string;
  role: Role;
  /** Section staff: their section (課). */
  sectionName: string | null;
  /** Section staff: their department (部). */
  departmentName: string | null;
  /** Proposers: their organisation, while they are a member. */
  organisationName: string | null;
}

/**
 * The pure mapping: only the affiliation that belongs to the role is shown, so a proposer who
 * once was section staff (or the reverse) shows nothing stale.
 */
export function personViewOf(person: PersonView): PersonView {
  const section = person.role === Role.SECTION;
  return {
    accountId: person.accountId,
    displayName: person.displayName,
    role: person.role,
    sectionName: section ? person.sectionName : null,
    departmentName: section ? person.departmentName : null,
    organisationName: person.role === Role.PROPOSER ? person.organisationName : null,
  };
}

/** An account (with `section.department` loaded) and the organisation it is a member of now. */
export function personView(account: Account, organisationName: string | null): PersonView {
  return personViewOf({
    accountId: account.id,
    displayName: account.displayName,
    role: account.role,
    sectionName: account.section?.name ?? null,
    departmentName: account.section?.department.name ?? null,
    organisationName,
  });
}

/**
 * Several accounts (loaded with `section.department`) as people, by account id. One statement for
 * all of their current memberships, however many accounts; none when none of them is a proposer
 * (only proposers belong to organisations).
 */
export async function peopleOf(em: EntityManager, accounts: readonly Account[]): Promise<Map<string, PersonView>> {
  const ids = accounts.filter((account) => account.role === Role.PROPOSER).map((account) => account.id);
  const memberships = ids.length ? await em.find(Membership, { account: { $in: ids }, leftAt: null }, { populate: ['organisation'] }) : [];
  const organisationOf = new Map(memberships.map((membership) => [membership.account.id, membership.organisation.name]));
  return new Map(accounts.map((account) => [account.id, personView(account, organisationOf.get(account.id) ?? null)]));
}
