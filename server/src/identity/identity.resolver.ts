import { Arg, Ctx, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ForbiddenError } from '../errors/domain-errors.js';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Account } from './account.entity.js';
import { login } from './identity.service.js';
import { changePassword, logout, signOutEverywhere } from './own-sessions.service.js';

@Resolver(() => Account)
export class IdentityResolver {
  @Access('public')
  @Query(() => Account, { nullable: true, description: 'The signed-in account, or null' })
  async me(@Ctx() ctx: RequestContext): Promise<Account | null> {
    if (ctx.viewer.kind !== 'account') return null;
    return ctx.em.findOne(Account, { id: ctx.viewer.accountId }, { populate: ['section.department'] });
  }

  @Access('public')
  @Mutation(() => Account, { description: 'Signs in and sets the session cookie. Wrong e-mail and wrong password get the same answer.' })
  async login(@Ctx() ctx: RequestContext, @Arg('email', () => String) email: string, @Arg('password', () => String) password: string): Promise<Account> {
    // The cookie can only be set on an HTTP response.
    if (!ctx.http) throw new ForbiddenError('Sign in over HTTP');
    const result = await login(ctx.em, ctx.config, email, password, ctx.clientAddress);
    ctx.http.setSessionCookie(result.session.token, result.session.expiresAt);
    return result.account;
  }

  @Access('public')
  @Mutation(() => Boolean, { description: 'Ends this session and its live connections' })
  async logout(@Ctx() ctx: RequestContext): Promise<boolean> {
    await logout(ctx.em, ctx.viewer, ctx.sessionToken);
    ctx.http?.clearSessionCookie();
    return true;
  }

  @Access('signedIn')
  @Mutation(() => Int, { description: 'Ends every session of the signed-in person, this one included, and their live connections: how many ended' })
  async signOutEverywhere(@Ctx() ctx: RequestContext): Promise<number> {
    const ended = await signOutEverywhere(ctx.em, ctx.viewer);
    ctx.http?.clearSessionCookie();
    return ended;
  }

  @Access('signedIn')
  @Mutation(() => Int, {
    description:
      'Changes the signed-in person’s password (the current one required; a wrong one counts towards the sign-in throttle). Every other session of theirs ends; this one continues. How many other sessions ended.',
  })
  changePassword(
    @Ctx() ctx: RequestContext,
    @Arg('currentPassword', () => String) currentPassword: string,
    @Arg('newPassword', () => String) newPassword: string,
  ): Promise<number> {
    return changePassword(ctx.em, ctx.config, ctx.viewer, ctx.sessionToken, currentPassword, newPassword, ctx.clientAddress);
  }
}
