import { Arg, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { disableAccount, enableAccount, listAccounts } from './account-admin.service.js';
import { AccountListConnection, AccountListFilter, AccountListItem } from './account-admin.types.js';

@Resolver()
export class AccountAdminResolver {
  @Access('desk')
  @Query(() => AccountListConnection, { description: 'Every account, newest first, for the desk to manage (search, role, enabled). The desk only.' })
  accounts(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 30 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => AccountListFilter, { nullable: true }) filter: AccountListFilter | null,
  ): Promise<AccountListConnection> {
    return listAccounts(ctx.em, ctx.viewer, first, after, filter ?? {});
  }

  @Access('desk')
  @Mutation(() => AccountListItem, {
    description: 'Disables an account, with a reason: it cannot sign in and all its sessions and live connections end at once. Never the last enabled desk account (CONFLICT, rule LAST_DESK_ACCOUNT). The desk only.',
  })
  disableAccount(@Ctx() ctx: RequestContext, @Arg('accountId', () => ID) accountId: string, @Arg('reason', () => String) reason: string): Promise<AccountListItem> {
    return disableAccount(ctx.em, ctx.viewer, accountId, reason);
  }

  @Access('desk')
  @Mutation(() => AccountListItem, { description: 'Enables a disabled account again, with a reason; the person signs in anew. The desk only.' })
  enableAccount(@Ctx() ctx: RequestContext, @Arg('accountId', () => ID) accountId: string, @Arg('reason', () => String) reason: string): Promise<AccountListItem> {
    return enableAccount(ctx.em, ctx.viewer, accountId, reason);
  }
}
