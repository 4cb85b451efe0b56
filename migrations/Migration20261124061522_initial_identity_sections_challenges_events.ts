import { Migration } from '@mikro-orm/migrations';

export class Migration20261124061522_initial_identity_sections_challenges_events extends Migration {

  override name = 'Migration20261124061522_initial_identity_sections_challenges_events';

  override up(): void | Promise<void> {
    this.addSql(`create type "challenge_status" as enum ('DRAFT', 'OPEN', 'CLOSED');`);
    this.addSql(`create type "role" as enum ('DESK', 'SECTION', 'PROPOSER');`);
    this.addSql(`create table "department" ("id" uuid not null, "name" text not null, "sort_order" int not null, primary key ("id"));`);
    this.addSql(`alter table "department" add constraint "department_name_unique" unique ("name");`);

    this.addSql(`create table "domain_event" ("id" bigserial primary key, "txid" xid8 not null default pg_current_xact_id(), "topic" text not null, "kind" text not null, "aggregate_id" text not null, "actor_id" uuid null, "payload" jsonb not null, "occurred_at" timestamptz not null);`);
    this.addSql(`create index "domain_event_topic_aggregate_id_index" on "domain_event" ("topic", "aggregate_id");`);
    this.addSql(`create index "domain_event_txid_id_index" on "domain_event" ("txid", "id");`);

    this.addSql(`create table "idempotency_record" ("account_id" uuid not null, "key" text not null, "operation" text not null, "result_id" text not null, "created_at" timestamptz not null, primary key ("account_id", "key"));`);

    this.addSql(`create table "login_attempt" ("id" bigserial primary key, "email" text not null, "address" text null, "succeeded" boolean not null, "attempted_at" timestamptz not null);`);
    this.addSql(`create index "login_attempt_email_attempted_at_index" on "login_attempt" ("email", "attempted_at");`);

    this.addSql(`create table "section" ("id" uuid not null, "department_id" uuid not null, "name" text not null, "is_desk" boolean not null default false, "retired_at" timestamptz null, "sort_order" int not null default 0, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "section_department_id_name_index" on "section" ("department_id", "name");`);

    this.addSql(`create table "challenge" ("id" uuid not null, "title" text not null, "description" text not null, "background" text not null, "owning_section_id" uuid null, "field_codes" text[] not null, "status" "challenge_status" not null, "published_at" timestamptz null, "period_start" date null, "period_end" date null, "contact" text not null, "version" int not null default 1, "created_at" timestamptz not null, "updated_at" timestamptz not null, "created_by" uuid not null, primary key ("id"));`);
    this.addSql(`create index "challenge_created_at_id_index" on "challenge" ("created_at", "id");`);

    this.addSql(`create table "account" ("id" uuid not null, "email" text not null, "display_name" text not null, "password_hash" text not null, "role" "role" not null, "section_id" uuid null, "disabled_at" timestamptz null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "account" add constraint "account_email_unique" unique ("email");`);

    this.addSql(`create table "session" ("token_hash" text not null, "account_id" uuid not null, "created_at" timestamptz not null, "last_seen_at" timestamptz not null, "expires_at" timestamptz not null, "revoked_at" timestamptz null, primary key ("token_hash"));`);
    this.addSql(`create index "session_account_id_index" on "session" ("account_id");`);

    this.addSql(`alter table "section" add constraint "section_department_id_foreign" foreign key ("department_id") references "department" ("id") on delete restrict;`);

    this.addSql(`alter table "challenge" add constraint "challenge_owning_section_id_foreign" foreign key ("owning_section_id") references "section" ("id") on delete restrict;`);

    this.addSql(`alter table "account" add constraint "account_section_id_foreign" foreign key ("section_id") references "section" ("id") on delete restrict;`);

    this.addSql(`alter table "session" add constraint "session_account_id_foreign" foreign key ("account_id") references "account" ("id") on delete cascade;`);
  }

}
