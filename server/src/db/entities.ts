import { MailDigest } from '../notifications/mail-digest.entity.js';
import { NotificationPreference } from '../notifications/notification-preference.entity.js';
import { Reminder } from '../notifications/reminder.entity.js';
import { AuditEntry } from '../audit/audit-entry.entity.js';
import { PublicCase } from '../publication/public-case.entity.js';
import { StageTarget } from '../ageing/stage-target.entity.js';
import { Notification } from '../notifications/notification.entity.js';
import { ProposalPresence } from '../presence/proposal-presence.entity.js';
import { ProtectionRequest } from '../protection/protection-request.entity.js';
import { Message, MessageRevision } from '../threads/message.entity.js';
import { Thread } from '../threads/thread.entity.js';
import { ThreadReader } from '../threads/thread-reader.entity.js';
import { ImplementationReport, ReportComment } from '../reports/implementation-report.entity.js';
import { Attachment } from '../attachments/attachment.entity.js';
import { Challenge } from '../challenges/challenge.entity.js';
import { DomainEvent } from '../events/domain-event.entity.js';
import { IdempotencyRecord } from '../idempotency/idempotency-record.entity.js';
import { Account } from '../identity/account.entity.js';
import { LoginAttempt } from '../identity/login-attempt.entity.js';
import { Session } from '../identity/session.entity.js';
import { ViewerChange } from '../identity/viewer-change.entity.js';
import { Invitation } from '../organisations/invitation.entity.js';
import { CaughtMail } from '../mail/caught-mail.entity.js';
import { MailMessage } from '../mail/mail-message.entity.js';
import { Match } from '../matches/match.entity.js';
import { Meeting, MeetingParticipant } from '../meetings/meeting.entity.js';
import { MinutesDocument } from '../minutes/minutes-document.entity.js';
import { MinutesPresence } from '../minutes/minutes-presence.entity.js';
import { MinutesUpdate } from '../minutes/minutes-update.entity.js';
import { AgreementRecord } from '../partnerships/agreement-record.entity.js';
import { PartnershipDecision } from '../partnerships/partnership-decision.entity.js';
import { ProgressNote } from '../partnerships/progress-note.entity.js';
import { Membership } from '../organisations/membership.entity.js';
import { Organisation } from '../organisations/organisation.entity.js';
import { Proposal } from '../proposals/proposal.entity.js';
import { ProposalRevision } from '../proposals/proposal-revision.entity.js';
import { ProposalTransition } from '../proposals/proposal-transition.entity.js';
import { ReferenceCounter } from '../proposals/reference-counter.entity.js';
import { Department } from '../sections/department.entity.js';
import { Section } from '../sections/section.entity.js';

/** Every entity the ORM maps, listed explicitly (no discovery by glob). */
export const ENTITIES = [
  Department,
  Section,
  Account,
  Session,
  ViewerChange,
  LoginAttempt,
  Challenge,
  DomainEvent,
  IdempotencyRecord,
  Organisation,
  Membership,
  Invitation,
  Proposal,
  ProposalTransition,
  ProposalRevision,
  ReferenceCounter,
  Attachment,
  MailMessage,
  CaughtMail,
  Match,
  PartnershipDecision,
  AgreementRecord,
  ProgressNote,
  Meeting,
  MeetingParticipant,
  MinutesDocument,
  MinutesUpdate,
  MinutesPresence,
  StageTarget,
  Thread,
  Message,
  MessageRevision,
  ThreadReader,
  ProtectionRequest,
  Notification,
  ProposalPresence,
  ImplementationReport,
  ReportComment,
  PublicCase,
  AuditEntry,
  NotificationPreference,
  MailDigest,
  Reminder,
];
