import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Access } from '../graphql/access.js';
import type { RequestContext } from '../graphql/context.js';
import { caughtMailReadable, listCaughtMail } from './caught-mail.service.js';

@ObjectType('CaughtMail', { description: 'Development only: a mail received by the local SMTP catcher instead of being delivered.' })
export class CaughtMailView {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { description: 'The envelope recipients, comma-separated' })
  to!: string;

  @Field(() => String)
  subject!: string;

  @Field(() => String, { description: 'The plain-text body' })
  text!: string;

  @Field(() => String, { nullable: true, description: 'The text/calendar part of an invitation (RFC 5545), as sent' })
  calendar!: string | null;

  @Field(() => Date)
  receivedAt!: Date;
}

@Resolver()
export class CaughtMailResolver {
  @Access('desk')
  @Query(() => [CaughtMailView], {
    description: 'Development only: the newest mail caught by the local SMTP catcher. Empty in production and whenever SMTP_URL is set (mail then really goes out).',
  })
  async caughtMail(@Ctx() ctx: RequestContext, @Arg('first', () => Int, { defaultValue: 20 }) first: number): Promise<CaughtMailView[]> {
    const mails = await listCaughtMail(ctx.em, ctx.config, first);
    return mails.map((mail) => ({ id: mail.id, to: mail.to, subject: mail.subject, text: mail.text, calendar: mail.calendar, receivedAt: mail.receivedAt }));
  }

  @Access('desk')
  @Query(() => Boolean, { description: 'Whether mail is caught locally (development without SMTP_URL), so the desk’s menu offers the caught mail' })
  mailCatcherActive(@Ctx() ctx: RequestContext): boolean {
    return caughtMailReadable(ctx.config);
  }
}
