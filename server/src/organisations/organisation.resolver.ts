import DataLoader from 'dataloader';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ForbiddenError } from '../errors/domain-errors.js';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { Account } from '../identity/account.entity.js';
import { Organisation } from './organisation.entity.js';
import { canActOnOrganisation, organisationFactsOf } from './organisation.policy.js';
import {
  acceptInvitation,
  findMyOrganisation,
  findVisibleOrganisation,
  inviteMember,
  leaveOrganisation,
  listOrganisations,
  membersOf,
  pendingInvitationsOf,
  previewInvitation,
  registerOrganisation,
  reinstateOrganisation,
  removeMember,
  revokeInvitation,
  suspendOrganisation,
  verifyOrganisation,
} from './organisation.service.js';
import {
  InvitationLink,
  InvitationPreview,
  OrganisationAbilities,
  OrganisationConnection,
  OrganisationFilter,
  OrganisationMember,
  OrganisationRegistrationInput,
  PendingInvitation,
} from './organisation.types.js';

interface Loaders {
  members: DataLoader<string, OrganisationMember[]>;
  invitations: DataLoader<string, PendingInvitation[]>;
}
const loaders = new WeakMap<RequestContext, Loaders>();
/** Per operation: a page of organisations costs one query for all their members, one for all their invitations. */
function loadersOf(ctx: RequestContext): Loaders {
  let found = loaders.get(ctx);
  if (!found) {
    found = {
      members: new DataLoader(async (ids) => {
        const byId = await membersOf(ctx.em, ids);
        return ids.map((id) => byId.get(id) ?? []);
      }),
      invitations: new DataLoader(async (ids) => {
        const byId = await pendingInvitationsOf(ctx.em, ids);
        return ids.map((id) => byId.get(id) ?? []);
      }),
    };
    loaders.set(ctx, found);
  }
  return found;
}

function requireHttp(ctx: RequestContext): NonNullable<RequestContext['http']> {
  // The session cookie can only be set on an HTTP response.
  if (!ctx.http) throw new ForbiddenError('Use HTTP for this');
  return ctx.http;
}

@Resolver(() => Organisation)
export class OrganisationResolver {
  @Access('signedIn')
  @Query(() => Organisation, { nullable: true, description: 'The organisation the signed-in proposer belongs to now; null for everyone else' })
  myOrganisation(@Ctx() ctx: RequestContext): Promise<Organisation | null> {
    return findMyOrganisation(ctx.em, ctx.viewer);
  }

  @Access('public')
  @Query(() => Organisation, { nullable: true, description: 'For the desk and the organisation’s own members; null for everyone else, as for a missing one' })
  organisation(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<Organisation | null> {
    return findVisibleOrganisation(ctx.em, ctx.viewer, id);
  }

  @Access('desk')
  @Query(() => OrganisationConnection, { description: 'Every registered organisation, newest first (desk only)' })
  organisations(
    @Ctx() ctx: RequestContext,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('filter', () => OrganisationFilter, { nullable: true }) filter: OrganisationFilter | null,
  ): Promise<OrganisationConnection> {
    return listOrganisations(ctx.em, ctx.viewer, first, after, filter);
  }

  @Access('public')
  @Query(() => InvitationPreview, { nullable: true, description: 'What an invitation link is for; null when it is unknown, used, expired or withdrawn alike' })
  invitation(@Ctx() ctx: RequestContext, @Arg('token', () => String) token: string): Promise<InvitationPreview | null> {
    return previewInvitation(ctx.em, token);
  }

  @Access('public')
  @Mutation(() => Account, { description: 'Registers an organisation with the caller as its first member, and signs them in. Individuals are refused (kind NOT_ACCEPTED).' })
  async registerOrganisation(@Ctx() ctx: RequestContext, @Arg('input', () => OrganisationRegistrationInput) input: OrganisationRegistrationInput): Promise<Account> {
    const http = requireHttp(ctx);
    const result = await registerOrganisation(ctx.em, ctx.config, input, ctx.clientAddress);
    http.setSessionCookie(result.session.token, result.session.expiresAt);
    return result.account;
  }

  @Access('signedIn')
  @Mutation(() => InvitationLink, { description: 'Invites a colleague by e-mail: mails them a single-use link valid for 7 days, which is also shown once to the inviter' })
  inviteMember(@Ctx() ctx: RequestContext, @Arg('email', () => String) email: string): Promise<InvitationLink> {
    return inviteMember(ctx.em, ctx.config, ctx.viewer, email);
  }

  @Access('public')
  @Mutation(() => Account, {
    description: 'Accepts an invitation once. A new address gets an account (displayName, password) and is signed in; an address with an account must be signed in as it, and only joins (displayName and password are then ignored).',
  })
  async acceptInvitation(
    @Ctx() ctx: RequestContext,
    @Arg('token', () => String) token: string,
    @Arg('displayName', () => String) displayName: string,
    @Arg('password', () => String) password: string,
  ): Promise<Account> {
    const http = requireHttp(ctx);
    const result = await acceptInvitation(ctx.em, ctx.config, ctx.viewer, token, displayName, password);
    if (result.session) http.setSessionCookie(result.session.token, result.session.expiresAt);
    return result.account;
  }

  @Access('signedIn')
  @Mutation(() => Boolean, { description: 'Withdraws a pending invitation of the caller’s organisation' })
  revokeInvitation(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string): Promise<boolean> {
    return revokeInvitation(ctx.em, ctx.viewer, id);
  }

  @Access('signedIn')
  @Mutation(() => Boolean, { description: 'Leaves the caller’s organisation; access to it ends at once. The last member cannot leave.' })
  leaveOrganisation(@Ctx() ctx: RequestContext): Promise<boolean> {
    return leaveOrganisation(ctx.em, ctx.viewer);
  }

  @Access('signedIn')
  @Mutation(() => Boolean, { description: 'Removes another member of the caller’s organisation (any member may); their access ends at once' })
  removeMember(@Ctx() ctx: RequestContext, @Arg('accountId', () => ID) accountId: string): Promise<boolean> {
    return removeMember(ctx.em, ctx.viewer, accountId);
  }

  @Access('desk')
  @Mutation(() => Organisation, { description: 'Marks it checked (確認済み). A stale expectedVersion is a CONFLICT.' })
  verifyOrganisation(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Organisation> {
    return verifyOrganisation(ctx.em, ctx.viewer, id, expectedVersion);
  }

  @Access('desk')
  @Mutation(() => Organisation, { description: 'Suspends it, with a reason: it cannot submit or invite until reinstated' })
  suspendOrganisation(
    @Ctx() ctx: RequestContext,
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int) expectedVersion: number,
    @Arg('reason', () => String) reason: string,
  ): Promise<Organisation> {
    return suspendOrganisation(ctx.em, ctx.viewer, id, expectedVersion, reason);
  }

  @Access('desk')
  @Mutation(() => Organisation, { description: 'Lifts a suspension' })
  reinstateOrganisation(@Ctx() ctx: RequestContext, @Arg('id', () => ID) id: string, @Arg('expectedVersion', () => Int) expectedVersion: number): Promise<Organisation> {
    return reinstateOrganisation(ctx.em, ctx.viewer, id, expectedVersion);
  }

  @FieldResolver(() => [OrganisationMember], { description: 'Current members; empty for anyone but the desk and the members themselves' })
  async members(@Root() organisation: Organisation, @Ctx() ctx: RequestContext): Promise<OrganisationMember[]> {
    if (!canActOnOrganisation(ctx.viewer, organisationFactsOf(organisation), 'see')) return [];
    return loadersOf(ctx).members.load(organisation.id);
  }

  @FieldResolver(() => [PendingInvitation], { description: 'Invitations not yet accepted, withdrawn or expired; empty for anyone but the desk and the members' })
  async pendingInvitations(@Root() organisation: Organisation, @Ctx() ctx: RequestContext): Promise<PendingInvitation[]> {
    if (!canActOnOrganisation(ctx.viewer, organisationFactsOf(organisation), 'see')) return [];
    return loadersOf(ctx).invitations.load(organisation.id);
  }

  @FieldResolver(() => String, { nullable: true, description: 'Why the desk suspended it; for the desk and the members' })
  suspensionReason(@Root() organisation: Organisation, @Ctx() ctx: RequestContext): string | null {
    return canActOnOrganisation(ctx.viewer, organisationFactsOf(organisation), 'see') ? organisation.suspensionReason : null;
  }

  @FieldResolver(() => OrganisationAbilities)
  viewerCan(@Root() organisation: Organisation, @Ctx() ctx: RequestContext): OrganisationAbilities {
    const facts = organisationFactsOf(organisation);
    const can = (action: Parameters<typeof canActOnOrganisation>[2]) => canActOnOrganisation(ctx.viewer, facts, action);
    return { invite: can('invite'), leave: can('leave'), removeMembers: can('removeMember'), verify: can('verify'), suspend: can('suspend'), reinstate: can('reinstate') };
  }
}
