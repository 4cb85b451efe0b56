import { Migration } from '@mikro-orm/migrations';

export class Migration20261124092902_threads_protection_notifications_presence extends Migration {

  override name = 'Migration20261124092902_threads_protection_notifications_presence';

  override up(): void | Promise<void> {
    this.addSql(`create type "protected_item_kind" as enum ('FIELD', 'ATTACHMENT', 'MESSAGE');`);
    this.addSql(`create type "protection_state" as enum ('REQUESTED', 'AGREED', 'DECLINED');`);
    this.addSql(`create type "notification_kind" as enum ('MENTION', 'REPLY', 'THREAD_MESSAGE', 'PROPOSAL_STATE');`);
    this.addSql(`create table "proposal_presence" ("id" uuid not null, "proposal_id" uuid not null, "account_id" uuid not null, "connection_id" text not null, "last_seen_at" timestamptz not null, "typing_thread_id" uuid null, "typing_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "proposal_presence_proposal_id_last_seen_at_index" on "proposal_presence" ("proposal_id", "last_seen_at");`);
    this.addSql(`alter table "proposal_presence" add constraint "proposal_presence_proposal_id_connection_id_unique" unique ("proposal_id", "connection_id");`);

    this.addSql(`create table "thread" ("id" uuid not null, "proposal_id" uuid not null, "audience" "audience" not null, "title" text not null, "created_by" uuid not null, "created_at" timestamptz not null, "last_message_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "thread_proposal_id_audience_last_message_at_index" on "thread" ("proposal_id", "audience", "last_message_at");`);

    this.addSql(`create table "message" ("id" uuid not null, "thread_id" uuid not null, "proposal_id" uuid not null, "parent_id" uuid null, "depth" smallint not null, "quoted_id" uuid null, "author_id" uuid not null, "body" text not null, "body_html" text not null, "mention_ids" uuid[] not null, "created_at" timestamptz not null, "edited_at" timestamptz null, "deleted_at" timestamptz null, "deleted_by" uuid null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "message_proposal_id_created_at_index" on "message" ("proposal_id", "created_at");`);
    this.addSql(`create index "message_thread_id_created_at_index" on "message" ("thread_id", "created_at");`);

    this.addSql(`create table "protection_request" ("id" uuid not null, "proposal_id" uuid not null, "item_kind" "protected_item_kind" not null, "field_name" text null, "attachment_id" uuid null, "message_id" uuid null, "reason" text not null, "requested_by" uuid not null, "requested_at" timestamptz not null, "state" "protection_state" not null default 'REQUESTED', "decided_by" uuid null, "decided_at" timestamptz null, "decision_reason" text null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "protection_request_proposal_id_requested_at_index" on "protection_request" ("proposal_id", "requested_at");`);
    this.addSql(`create unique index "protection_request_active_item_unique" on "protection_request" ("proposal_id", "item_kind", coalesce("field_name", ''), coalesce("attachment_id"::text, ''), coalesce("message_id"::text, '')) where "state" in ('REQUESTED', 'AGREED');`);

    this.addSql(`create table "notification" ("id" uuid not null, "recipient_id" uuid not null, "kind" "notification_kind" not null, "proposal_id" uuid not null, "thread_id" uuid null, "message_id" uuid null, "actor_id" uuid null, "proposal_state" text null, "created_at" timestamptz not null, "read_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "notification_recipient_id_read_at_created_at_index" on "notification" ("recipient_id", "read_at", "created_at");`);

    this.addSql(`create table "message_revision" ("id" uuid not null, "message_id" uuid not null, "body" text not null, "body_html" text not null, "edited_at" timestamptz not null, "edited_by" uuid not null, primary key ("id"));`);
    this.addSql(`create index "message_revision_message_id_edited_at_index" on "message_revision" ("message_id", "edited_at");`);

    this.addSql(`create table "thread_reader" ("id" uuid not null, "thread_id" uuid not null, "account_id" uuid not null, "read_up_to" timestamptz null, "following" boolean not null default false, primary key ("id"));`);
    this.addSql(`create index "thread_reader_account_id_index" on "thread_reader" ("account_id");`);
    this.addSql(`alter table "thread_reader" add constraint "thread_reader_thread_id_account_id_unique" unique ("thread_id", "account_id");`);

    this.addSql(`alter table "proposal_presence" add constraint "proposal_presence_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete cascade;`);

    this.addSql(`alter table "thread" add constraint "thread_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);

    this.addSql(`alter table "message" add constraint "message_thread_id_foreign" foreign key ("thread_id") references "thread" ("id") on delete restrict;`);
    this.addSql(`alter table "message" add constraint "message_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);
    this.addSql(`alter table "message" add constraint "message_parent_id_foreign" foreign key ("parent_id") references "message" ("id") on delete restrict;`);
    this.addSql(`alter table "message" add constraint "message_quoted_id_foreign" foreign key ("quoted_id") references "message" ("id") on delete restrict;`);

    this.addSql(`alter table "protection_request" add constraint "protection_request_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);
    this.addSql(`alter table "protection_request" add constraint "protection_request_attachment_id_foreign" foreign key ("attachment_id") references "attachment" ("id") on delete restrict;`);
    this.addSql(`alter table "protection_request" add constraint "protection_request_message_id_foreign" foreign key ("message_id") references "message" ("id") on delete restrict;`);

    this.addSql(`alter table "notification" add constraint "notification_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_thread_id_foreign" foreign key ("thread_id") references "thread" ("id") on delete cascade;`);
    this.addSql(`alter table "notification" add constraint "notification_message_id_foreign" foreign key ("message_id") references "message" ("id") on delete cascade;`);

    this.addSql(`alter table "message_revision" add constraint "message_revision_message_id_foreign" foreign key ("message_id") references "message" ("id") on delete cascade;`);

    this.addSql(`alter table "thread_reader" add constraint "thread_reader_thread_id_foreign" foreign key ("thread_id") references "thread" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "message" drop constraint "message_thread_id_foreign";`);
    this.addSql(`alter table "notification" drop constraint "notification_thread_id_foreign";`);
    this.addSql(`alter table "thread_reader" drop constraint "thread_reader_thread_id_foreign";`);
    this.addSql(`alter table "message" drop constraint "message_parent_id_foreign";`);
    this.addSql(`alter table "message" drop constraint "message_quoted_id_foreign";`);
    this.addSql(`alter table "protection_request" drop constraint "protection_request_message_id_foreign";`);
    this.addSql(`alter table "notification" drop constraint "notification_message_id_foreign";`);
    this.addSql(`alter table "message_revision" drop constraint "message_revision_message_id_foreign";`);

    this.addSql(`drop table if exists "proposal_presence" cascade;`);
    this.addSql(`drop table if exists "thread" cascade;`);
    this.addSql(`drop table if exists "message" cascade;`);
    this.addSql(`drop table if exists "protection_request" cascade;`);
    this.addSql(`drop table if exists "notification" cascade;`);
    this.addSql(`drop table if exists "message_revision" cascade;`);
    this.addSql(`drop table if exists "thread_reader" cascade;`);

    this.addSql(`drop type "protected_item_kind";`);
    this.addSql(`drop type "protection_state";`);
    this.addSql(`drop type "notification_kind";`);
  }

}
