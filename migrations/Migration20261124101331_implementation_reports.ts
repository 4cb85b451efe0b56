import { Migration } from '@mikro-orm/migrations';

export class Migration20261124101331_implementation_reports extends Migration {

  override name = 'Migration20261124101331_implementation_reports';

  override up(): void | Promise<void> {
    this.addSql(`create type "report_state" as enum ('DRAFT', 'SUBMITTED', 'RETURNED', 'ACCEPTED');`);
    this.addSql(`create type "continuation_intent" as enum ('CONTINUE', 'END', 'UNDECIDED');`);
    this.addSql(`create table "implementation_report" ("id" uuid not null, "proposal_id" uuid not null, "state" "report_state" not null default 'DRAFT', "period_start" date null, "period_end" date null, "activities" text not null default '', "indicator_results" jsonb not null, "people_reached" int null, "ward_cost_yen" int not null default 0, "partner_contribution" text not null default '', "partner_contribution_yen" int null, "issues" text not null default '', "next_steps" text not null default '', "continuation" "continuation_intent" not null default 'UNDECIDED', "return_note" text null, "created_by" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "submitted_at" timestamptz null, "submitted_by" uuid null, "decided_at" timestamptz null, "decided_by" uuid null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "implementation_report_state_updated_at_index" on "implementation_report" ("state", "updated_at");`);
    this.addSql(`alter table "implementation_report" add constraint "implementation_report_proposal_id_unique" unique ("proposal_id");`);

    this.addSql(`create table "report_comment" ("id" uuid not null, "report_id" uuid not null, "author_id" uuid not null, "body" text not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "report_comment_report_id_created_at_index" on "report_comment" ("report_id", "created_at");`);

    this.addSql(`alter type "attachment_purpose" add value if not exists 'REPORT_PHOTO' after 'MESSAGE';`);
    this.addSql(`alter table "attachment" add "report_id" uuid null;`);
    this.addSql(`alter table "attachment" add constraint "attachment_report_id_foreign" foreign key ("report_id") references "implementation_report" ("id") on delete restrict;`);

    this.addSql(`alter table "implementation_report" add constraint "implementation_report_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);

    this.addSql(`alter table "report_comment" add constraint "report_comment_report_id_foreign" foreign key ("report_id") references "implementation_report" ("id") on delete cascade;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "report_comment" drop constraint "report_comment_report_id_foreign";`);
    this.addSql(`alter table "attachment" drop constraint "attachment_report_id_foreign";`);

    this.addSql(`drop table if exists "implementation_report" cascade;`);
    this.addSql(`drop table if exists "report_comment" cascade;`);

    this.addSql(`alter table "attachment" drop column "report_id";`);

    this.addSql(`drop type "report_state";`);
    this.addSql(`drop type "continuation_intent";`);
  }

}
