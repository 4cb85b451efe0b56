import { Migration } from '@mikro-orm/migrations';

export class Migration20261124081133_decision_and_progress extends Migration {

  override name = 'Migration20261124081133_decision_and_progress';

  override up(): void | Promise<void> {
    this.addSql(`create type "partnership_form" as enum ('NO_AGREEMENT', 'AGREEMENT', 'CONTRACT');`);
    this.addSql(`create type "decision_ward_cost" as enum ('NONE', 'PAID');`);
    this.addSql(`create type "procurement_route" as enum ('NEGOTIATED_CONTRACT', 'COMPETITIVE_BIDDING', 'OTHER');`);
    this.addSql(`create table "progress_note" ("id" uuid not null, "proposal_id" uuid not null, "author_id" uuid not null, "section_id" uuid null, "text" text not null, "milestone" boolean not null default false, "happened_on" date not null, "created_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "progress_note_proposal_id_created_at_index" on "progress_note" ("proposal_id", "created_at");`);

    this.addSql(`create table "partnership_decision" ("id" uuid not null, "proposal_id" uuid not null, "form" "partnership_form" not null, "ward_cost" "decision_ward_cost" not null, "ward_cost_amount" int null, "procurement_route" "procurement_route" null, "start_date" date not null, "end_date" date not null, "scope" text not null, "ward_responsibilities" text not null, "proposer_responsibilities" text not null, "indicators" jsonb not null, "decided_by" uuid not null, "decided_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "partnership_decision" add constraint "partnership_decision_proposal_id_unique" unique ("proposal_id");`);

    this.addSql(`create table "agreement_record" ("id" uuid not null, "proposal_id" uuid not null, "title" text not null, "parties" text[] not null, "signed_on" date not null, "term_start" date not null, "term_end" date not null, "recorded_by" uuid not null, "recorded_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "agreement_record" add constraint "agreement_record_proposal_id_unique" unique ("proposal_id");`);

    this.addSql(`alter table "progress_note" add constraint "progress_note_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);
    this.addSql(`alter table "progress_note" add constraint "progress_note_section_id_foreign" foreign key ("section_id") references "section" ("id") on delete restrict;`);

    this.addSql(`alter table "partnership_decision" add constraint "partnership_decision_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);

    this.addSql(`alter table "agreement_record" add constraint "agreement_record_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "progress_note" cascade;`);
    this.addSql(`drop table if exists "partnership_decision" cascade;`);
    this.addSql(`drop table if exists "agreement_record" cascade;`);

    this.addSql(`drop type "partnership_form";`);
    this.addSql(`drop type "decision_ward_cost";`);
    this.addSql(`drop type "procurement_route";`);
  }

}
