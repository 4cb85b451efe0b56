import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { MatchAgeingResolver, ProposalAgeingResolver, StageTargetResolver } from '../ageing/ageing.resolver.js';
import { AuditResolver } from '../audit/audit.resolver.js';
import { AttachmentResolver, ProposalAttachmentsResolver } from '../attachments/attachment.resolver.js';
import { ChallengeResolver } from '../challenges/challenge.resolver.js';
import { DashboardResolver } from '../dashboard/dashboard.resolver.js';
import { ProposalExportResolver } from '../exports/proposal-export.resolver.js';
import { EventCursorResolver } from '../events/event-cursor.resolver.js';
import { CaughtMailResolver } from '../mail/caught-mail.resolver.js';
import { IdentityResolver } from '../identity/identity.resolver.js';
import { DeskStaffResolver } from '../identity/desk-staff.resolver.js';
import { AccountAdminResolver } from '../identity/account-admin.resolver.js';
import { OrganisationResolver } from '../organisations/organisation.resolver.js';
import { MatchResolver, ProposalMatchesResolver } from '../matches/match.resolver.js';
import { MinutesResolver } from '../minutes/minutes.resolver.js';
import { NotificationFieldsResolver, NotificationResolver } from '../notifications/notification.resolver.js';
import { MailPreferenceResolver } from '../notifications/notification-preference.resolver.js';
import { PortalResolver } from '../portal/portal.resolver.js';
import { PresenceResolver } from '../presence/presence.resolver.js';
import { MeetingResolver, ProposalMeetingsResolver } from '../meetings/meeting.resolver.js';
import { ProposalResolver } from '../proposals/proposal.resolver.js';
import { AttachmentProtectionResolver, MessageProtectionResolver, ProposalProtectionResolver, ProtectionRequestResolver } from '../protection/protection.resolver.js';
import { AgreementRecordResolver, PartnershipResolver, ProgressNoteResolver } from '../partnerships/partnership.resolver.js';
import { ImplementationReportResolver, ProposalReportResolver, ReportCommentResolver } from '../reports/report.resolver.js';
import { ProposalCaseResolver, PublicCaseResolver } from '../publication/case.resolver.js';
import { SearchResolver } from '../search/search.resolver.js';
import { DepartmentResolver, SectionResolver } from '../sections/section.resolver.js';
import { MessageResolver, ProposalThreadsResolver, ThreadResolver } from '../threads/thread.resolver.js';
import { guardFields } from './field-guards.js';

/** Every resolver of the API, listed explicitly. */
export const RESOLVERS = [IdentityResolver, DeskStaffResolver, AccountAdminResolver, DepartmentResolver, SectionResolver, ChallengeResolver, EventCursorResolver, ProposalResolver, OrganisationResolver, ProposalAttachmentsResolver, AttachmentResolver, MatchResolver, ProposalMatchesResolver, PartnershipResolver, ProgressNoteResolver, AgreementRecordResolver, MeetingResolver, ProposalMeetingsResolver, CaughtMailResolver, StageTargetResolver, ProposalAgeingResolver, MatchAgeingResolver, MinutesResolver, NotificationResolver, NotificationFieldsResolver, MailPreferenceResolver, PresenceResolver, ThreadResolver, MessageResolver, ProposalThreadsResolver, ProposalProtectionResolver, ProtectionRequestResolver, AttachmentProtectionResolver, MessageProtectionResolver, ProposalReportResolver, ImplementationReportResolver, ReportCommentResolver, PortalResolver, SearchResolver, ProposalExportResolver, AuditResolver, ProposalCaseResolver, PublicCaseResolver, DashboardResolver] as const;

export async function buildRenkeiSchema(): Promise<GraphQLSchema> {
  const schema = await buildSchema({
    resolvers: RESOLVERS,
    // Inputs are validated by each domain's own pure validation, which reports per-field codes.
    validate: false,
    emitSchemaFile: false,
    // type-graphql insists on a PubSub; ours is the event feed, wired through each `subscribe`.
    pubSub: {
      publish() {
        throw new Error('publish through the outbox (events/transaction.ts), not a PubSub');
      },
      subscribe() {
        throw new Error('subscriptions read the event feed through their own `subscribe`');
      },
    },
  });
  // Budgets, access rules and input checks on the fields they concern (not as global middlewares).
  return guardFields(schema);
}
