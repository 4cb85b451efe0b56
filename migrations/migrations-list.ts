import type { MigrationObject } from '@mikro-orm/core';
import { Migration20261124061522_initial_identity_sections_challenges_events } from './Migration20261124061522_initial_identity_sections_challenges_events.js';
import { Migration20261124064403_organisations_proposals_attachments } from './Migration20261124064403_organisations_proposals_attachments.js';
import { Migration20261124065001_section_active_name_unique } from './Migration20261124065001_section_active_name_unique.js';
import { Migration20261124075514_mail_outbox } from './Migration20261124075514_mail_outbox.js';
import { Migration20261124075544_matches } from './Migration20261124075544_matches.js';
import { Migration20261124081133_decision_and_progress } from './Migration20261124081133_decision_and_progress.js';
import { Migration20261124084928_meetings_minutes_ageing } from './Migration20261124084928_meetings_minutes_ageing.js';
import { Migration20261124085044_agreement_document_and_calendar_mail } from './Migration20261124085044_agreement_document_and_calendar_mail.js';
import { Migration20261124092902_threads_protection_notifications_presence } from './Migration20261124092902_threads_protection_notifications_presence.js';
import { Migration20261124094950_message_attachments } from './Migration20261124094950_message_attachments.js';
import { Migration20261124101331_implementation_reports } from './Migration20261124101331_implementation_reports.js';
import { Migration20261124130138_publication_audit_search } from './Migration20261124130138_publication_audit_search.js';
import { Migration20261124134619_mail_notifications_reminders } from './Migration20261124134619_mail_notifications_reminders.js';
import { Migration20261124152731_message_newest_first_index } from './Migration20261124152731_message_newest_first_index.js';
import { Migration20261124223636_viewer_change } from './Migration20261124223636_viewer_change.js';
import { Migration20261124224132_protection_item_indexes } from './Migration20261124224132_protection_item_indexes.js';

/** Every migration, in order. Listed statically: a glob would load .ts files with Node itself. */
export const MIGRATIONS: MigrationObject[] = [
  { name: 'Migration20261124061522_initial_identity_sections_challenges_events', class: Migration20261124061522_initial_identity_sections_challenges_events },
  { name: 'Migration20261124064403_organisations_proposals_attachments', class: Migration20261124064403_organisations_proposals_attachments },
  { name: 'Migration20261124065001_section_active_name_unique', class: Migration20261124065001_section_active_name_unique },
  { name: 'Migration20261124075514_mail_outbox', class: Migration20261124075514_mail_outbox },
  { name: 'Migration20261124075544_matches', class: Migration20261124075544_matches },
  { name: 'Migration20261124081133_decision_and_progress', class: Migration20261124081133_decision_and_progress },
  { name: 'Migration20261124084928_meetings_minutes_ageing', class: Migration20261124084928_meetings_minutes_ageing },
  { name: 'Migration20261124085044_agreement_document_and_calendar_mail', class: Migration20261124085044_agreement_document_and_calendar_mail },
  { name: 'Migration20261124092902_threads_protection_notifications_presence', class: Migration20261124092902_threads_protection_notifications_presence },
  { name: 'Migration20261124094950_message_attachments', class: Migration20261124094950_message_attachments },
  { name: 'Migration20261124101331_implementation_reports', class: Migration20261124101331_implementation_reports },
  { name: 'Migration20261124130138_publication_audit_search', class: Migration20261124130138_publication_audit_search },
  { name: 'Migration20261124134619_mail_notifications_reminders', class: Migration20261124134619_mail_notifications_reminders },
  { name: 'Migration20261124152731_message_newest_first_index', class: Migration20261124152731_message_newest_first_index },
  { name: 'Migration20261124223636_viewer_change', class: Migration20261124223636_viewer_change },
  { name: 'Migration20261124224132_protection_item_indexes', class: Migration20261124224132_protection_item_indexes },
];
