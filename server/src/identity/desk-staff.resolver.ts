import { Ctx, Query, Resolver } from 'type-graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { DeskMember } from '../matches/match.types.js';
import { Account, Role } from './account.entity.js';

/** The enabled desk accounts, by name: whom a proposal's desk owner (担当者) can be. One statement. */
export async function activeDeskStaff(em: EntityManager): Promise<DeskMember[]> {
  const accounts = await em.find(Account, { role: Role.DESK, disabledAt: null }, { fields: ['id', 'displayName'], orderBy: { displayName: 'asc', id: 'asc' } });
  return accounts.map((account) => ({ id: account.id, displayName: account.displayName }));
}

@Resolver()
export class DeskStaffResolver {
  @Access('desk')
  @Query(() => [DeskMember], { description: 'Enabled desk staff, by name: the choices for a proposal’s desk owner (担当者). The desk only.' })
  deskStaff(@Ctx() ctx: RequestContext): Promise<DeskMember[]> {
    return activeDeskStaff(ctx.em);
  }
}
