import { Migration } from '@mikro-orm/migrations';

export class Migration20261124084928_meetings_minutes_ageing extends Migration {

  override name = 'Migration20261124084928_meetings_minutes_ageing';

  override up(): void | Promise<void> {
    this.addSql(`create type "audience" as enum ('SHARED', 'INTERNAL');`);
    this.addSql(`create type "meeting_state" as enum ('SCHEDULED', 'CANCELLED');`);
    this.addSql(`create type "ageing_stage" as enum ('INTAKE', 'REVIEW', 'DIALOGUE', 'MATCH_ANSWER', 'START_OF_WORK');`);
    this.addSql(`create table "meeting" ("id" uuid not null, "proposal_id" uuid not null, "title" text not null, "starts_at" timestamptz not null, "ends_at" timestamptz not null, "place" text null, "online_url" text null, "agenda" text not null default '', "audience" "audience" not null, "state" "meeting_state" not null default 'SCHEDULED', "cancel_reason" text null, "ics_sequence" int not null default 0, "created_by" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "meeting_proposal_id_starts_at_index" on "meeting" ("proposal_id", "starts_at");`);

    this.addSql(`create table "minutes_update" ("id" bigserial primary key, "meeting_id" uuid not null, "update" bytea not null, "author_id" uuid not null, "created_at" timestamptz not null);`);
    this.addSql(`create index "minutes_update_meeting_id_id_index" on "minutes_update" ("meeting_id", "id");`);

    this.addSql(`create table "minutes_presence" ("id" uuid not null, "meeting_id" uuid not null, "account_id" uuid not null, "connection_id" text not null, "last_seen_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "minutes_presence_meeting_id_last_seen_at_index" on "minutes_presence" ("meeting_id", "last_seen_at");`);
    this.addSql(`alter table "minutes_presence" add constraint "minutes_presence_meeting_id_connection_id_unique" unique ("meeting_id", "connection_id");`);

    this.addSql(`create table "minutes_document" ("meeting_id" uuid not null, "state" bytea not null, "text" text not null default '', "update_count" int not null default 0, "updated_at" timestamptz not null, primary key ("meeting_id"));`);

    this.addSql(`create table "meeting_participant" ("id" uuid not null, "meeting_id" uuid not null, "account_id" uuid not null, "added_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "meeting_participant_account_id_index" on "meeting_participant" ("account_id");`);
    this.addSql(`alter table "meeting_participant" add constraint "meeting_participant_meeting_id_account_id_unique" unique ("meeting_id", "account_id");`);

    this.addSql(`create table "stage_target" ("stage" "ageing_stage" not null, "business_days" int not null, "updated_by" uuid null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("stage"));`);

    // When each proposal entered its current state: its latest transition, else its creation.
    this.addSql(`alter table "proposal" add "state_entered_at" timestamptz null;`);
    this.addSql(`update "proposal" p set "state_entered_at" = coalesce((select max(t."at") from "proposal_transition" t where t."proposal_id" = p."id"), p."created_at");`);
    this.addSql(`alter table "proposal" alter column "state_entered_at" set not null;`);
    // The desk's starting targets (business days); it changes them in the app.
    this.addSql(`insert into "stage_target" ("stage", "business_days", "updated_at") values ('INTAKE', 5, now()), ('REVIEW', 10, now()), ('DIALOGUE', 40, now()), ('MATCH_ANSWER', 5, now()), ('START_OF_WORK', 20, now());`);

    this.addSql(`alter table "meeting" add constraint "meeting_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);

    this.addSql(`alter table "minutes_update" add constraint "minutes_update_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete cascade;`);

    this.addSql(`alter table "minutes_presence" add constraint "minutes_presence_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete cascade;`);

    this.addSql(`alter table "minutes_document" add constraint "minutes_document_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "meeting_participant" add constraint "meeting_participant_meeting_id_foreign" foreign key ("meeting_id") references "meeting" ("id") on delete cascade;`);
    this.addSql(`alter table "meeting_participant" add constraint "meeting_participant_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "minutes_update" drop constraint "minutes_update_meeting_id_foreign";`);
    this.addSql(`alter table "minutes_presence" drop constraint "minutes_presence_meeting_id_foreign";`);
    this.addSql(`alter table "minutes_document" drop constraint "minutes_document_meeting_id_foreign";`);
    this.addSql(`alter table "meeting_participant" drop constraint "meeting_participant_meeting_id_foreign";`);

    this.addSql(`drop table if exists "meeting" cascade;`);
    this.addSql(`drop table if exists "minutes_update" cascade;`);
    this.addSql(`drop table if exists "minutes_presence" cascade;`);
    this.addSql(`drop table if exists "minutes_document" cascade;`);
    this.addSql(`drop table if exists "meeting_participant" cascade;`);
    this.addSql(`drop table if exists "stage_target" cascade;`);

    this.addSql(`alter table "proposal" drop column "state_entered_at";`);

    this.addSql(`drop type "audience";`);
    this.addSql(`drop type "meeting_state";`);
    this.addSql(`drop type "ageing_stage";`);
  }

}
