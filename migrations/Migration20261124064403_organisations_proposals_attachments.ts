import { Migration } from '@mikro-orm/migrations';

export class Migration20261124064403_organisations_proposals_attachments extends Migration {

  override name = 'Migration20261124064403_organisations_proposals_attachments';

  override up(): void | Promise<void> {
    this.addSql(`create type "organisation_kind" as enum ('COMPANY', 'UNIVERSITY', 'NPO', 'ASSOCIATION', 'OTHER');`);
    this.addSql(`create type "proposal_state" as enum ('DRAFT', 'SUBMITTED', 'UNDER_REVIEW', 'IN_DIALOGUE', 'AGREED', 'IN_PROGRESS', 'REPORTED', 'PUBLISHED', 'RETURNED', 'NOT_REALIZED', 'WITHDRAWN');`);
    this.addSql(`create type "proposal_kind" as enum ('FREE', 'CHALLENGE');`);
    this.addSql(`create type "ward_cost" as enum ('NONE', 'ESTIMATE');`);
    this.addSql(`create table "organisation" ("id" uuid not null, "name" text not null, "name_kana" text not null, "kind" "organisation_kind" not null, "corporate_number" text null, "address" text not null, "representative" text not null, "contact_name" text not null, "contact_email" text not null, "contact_phone" text not null, "verified_at" timestamptz null, "suspended_at" timestamptz null, "suspension_reason" text null, "version" int not null default 1, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "organisation" add constraint "organisation_corporate_number_unique" unique ("corporate_number");`);

    this.addSql(`create table "invitation" ("id" uuid not null, "organisation_id" uuid not null, "email" text not null, "token_hash" text not null, "invited_by" uuid not null, "created_at" timestamptz not null, "expires_at" timestamptz not null, "accepted_at" timestamptz null, "revoked_at" timestamptz null, primary key ("id"));`);
    this.addSql(`create index "invitation_organisation_id_index" on "invitation" ("organisation_id");`);
    this.addSql(`alter table "invitation" add constraint "invitation_token_hash_unique" unique ("token_hash");`);

    this.addSql(`create table "proposal_reference_counter" ("fiscal_year" int not null, "last_number" int not null, primary key ("fiscal_year"));`);

    this.addSql(`create table "proposal" ("id" uuid not null, "organisation_id" uuid not null, "state" "proposal_state" not null default 'DRAFT', "reference_number" text null, "kind" "proposal_kind" not null default 'FREE', "challenge_id" uuid null, "title" text not null default '', "ward_issue" text not null default '', "content" text not null default '', "expected_effects" text not null default '', "ask_of_ward" text not null default '', "ward_cost" "ward_cost" not null default 'NONE', "ward_cost_estimate" int null, "ward_cost_reason" text not null default '', "own_resources" text not null default '', "schedule" text not null default '', "hoped_section_ids" uuid[] not null, "pledges_affirmed_at" timestamptz null, "pledges_affirmed_by" uuid null, "change_request_note" text null, "version" int not null default 1, "created_by" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "submitted_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "proposal" add constraint "proposal_reference_number_unique" unique ("reference_number");`);
    this.addSql(`create index "proposal_state_submitted_at_index" on "proposal" ("state", "submitted_at");`);
    this.addSql(`create index "proposal_organisation_id_updated_at_index" on "proposal" ("organisation_id", "updated_at");`);

    this.addSql(`create table "proposal_transition" ("id" bigserial primary key, "proposal_id" uuid not null, "from_state" "proposal_state" null, "to_state" "proposal_state" not null, "actor_id" uuid not null, "reason" text null, "at" timestamptz not null);`);
    this.addSql(`create index "proposal_transition_proposal_id_at_index" on "proposal_transition" ("proposal_id", "at");`);

    this.addSql(`create table "proposal_revision" ("id" bigserial primary key, "proposal_id" uuid not null, "revision" int not null, "content" jsonb not null, "saved_by" uuid not null, "saved_at" timestamptz not null);`);
    this.addSql(`create index "proposal_revision_proposal_id_revision_index" on "proposal_revision" ("proposal_id", "revision");`);

    this.addSql(`create table "attachment" ("id" uuid not null, "proposal_id" uuid not null, "file_name" text not null, "media_type" text not null, "size_bytes" int not null, "sha256" text not null, "storage_key" text not null, "uploaded_by" uuid not null, "uploaded_at" timestamptz not null, "deleted_at" timestamptz null, primary key ("id"));`);
    this.addSql(`alter table "attachment" add constraint "attachment_storage_key_unique" unique ("storage_key");`);
    this.addSql(`create index "attachment_proposal_id_deleted_at_index" on "attachment" ("proposal_id", "deleted_at");`);

    this.addSql(`create table "membership" ("id" uuid not null, "organisation_id" uuid not null, "account_id" uuid not null, "joined_at" timestamptz not null, "left_at" timestamptz null, "removed_by" uuid null, primary key ("id"));`);
    this.addSql(`create unique index "membership_one_active_per_account" on "membership" ("account_id") where "left_at" is null;`);
    this.addSql(`create index "membership_organisation_id_left_at_index" on "membership" ("organisation_id", "left_at");`);

    this.addSql(`alter table "invitation" add constraint "invitation_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);

    this.addSql(`alter table "proposal" add constraint "proposal_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "proposal" add constraint "proposal_challenge_id_foreign" foreign key ("challenge_id") references "challenge" ("id") on delete restrict;`);

    this.addSql(`alter table "proposal_transition" add constraint "proposal_transition_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);
    this.addSql(`create or replace function "proposal_transition_proposal_transition_append_only_fn"() returns trigger as \$\$ begin raise exception 'proposal_transition is append-only'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "proposal_transition_append_only" BEFORE UPDATE OR DELETE on "proposal_transition" for each ROW execute function "proposal_transition_proposal_transition_append_only_fn"();`);

    this.addSql(`alter table "proposal_revision" add constraint "proposal_revision_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);

    this.addSql(`alter table "attachment" add constraint "attachment_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);

    this.addSql(`alter table "membership" add constraint "membership_organisation_id_foreign" foreign key ("organisation_id") references "organisation" ("id") on delete restrict;`);
    this.addSql(`alter table "membership" add constraint "membership_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete restrict;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "invitation" drop constraint "invitation_organisation_id_foreign";`);
    this.addSql(`alter table "proposal" drop constraint "proposal_organisation_id_foreign";`);
    this.addSql(`alter table "membership" drop constraint "membership_organisation_id_foreign";`);
    this.addSql(`alter table "proposal_transition" drop constraint "proposal_transition_proposal_id_foreign";`);
    this.addSql(`alter table "proposal_revision" drop constraint "proposal_revision_proposal_id_foreign";`);
    this.addSql(`alter table "attachment" drop constraint "attachment_proposal_id_foreign";`);

    this.addSql(`drop table if exists "organisation" cascade;`);
    this.addSql(`drop table if exists "invitation" cascade;`);
    this.addSql(`drop table if exists "proposal_reference_counter" cascade;`);
    this.addSql(`drop table if exists "proposal" cascade;`);
    this.addSql(`drop trigger if exists "proposal_transition_append_only" on "proposal_transition";`);
    this.addSql(`drop function if exists "proposal_transition_proposal_transition_append_only_fn"();`);
    this.addSql(`drop table if exists "proposal_transition" cascade;`);
    this.addSql(`drop table if exists "proposal_revision" cascade;`);
    this.addSql(`drop table if exists "attachment" cascade;`);
    this.addSql(`drop table if exists "membership" cascade;`);

    this.addSql(`drop type "organisation_kind";`);
    this.addSql(`drop type "proposal_state";`);
    this.addSql(`drop type "proposal_kind";`);
    this.addSql(`drop type "ward_cost";`);
  }

}
