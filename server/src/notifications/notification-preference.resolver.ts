import { Arg, Ctx, Field, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { NotificationKind } from './notification.entity.js';
import { MailDelivery } from './notification-preference.entity.js';
import { myMailPreferences, setMailPreference } from './notification-preference.service.js';

@ObjectType('MailPreference', { description: 'How the signed-in person hears of one kind of notification by mail' })
export class MailPreferenceView {
  @Field(() => NotificationKind)
  kind!: NotificationKind;

  @Field(() => MailDelivery)
  delivery!: MailDelivery;

  @Field(() => Boolean, { description: 'True while the person has not chosen: the default applies' })
  isDefault!: boolean;
}

/** Each person's choice of mail per kind of notification (issue 7, item 4). */
@Resolver()
export class MailPreferenceResolver {
  @Access('signedIn')
  @Query(() => [MailPreferenceView], { description: 'The signed-in person’s mail delivery for every kind of notification' })
  myMailPreferences(@Ctx() ctx: RequestContext): Promise<MailPreferenceView[]> {
    return myMailPreferences(ctx.em, ctx.viewer);
  }

  @Access('signedIn')
  @Mutation(() => [MailPreferenceView], { description: 'Sets how the signed-in person hears of one kind by mail: IMMEDIATE, DAILY digest or NONE. Returns every kind.' })
  setMailPreference(
    @Ctx() ctx: RequestContext,
    @Arg('kind', () => NotificationKind) kind: NotificationKind,
    @Arg('delivery', () => MailDelivery) delivery: MailDelivery,
  ): Promise<MailPreferenceView[]> {
    return setMailPreference(ctx.em, ctx.viewer, kind, delivery);
  }
}
