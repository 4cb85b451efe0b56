import { Migration } from '@mikro-orm/migrations';

export class Migration20261124075544_matches extends Migration {

  override name = 'Migration20261124075544_matches';

  override up(): void | Promise<void> {
    this.addSql(`create type "match_state" as enum ('PENDING', 'ACCEPTED', 'DECLINED', 'WITHDRAWN');`);
    this.addSql(`create table "match" ("id" uuid not null, "proposal_id" uuid not null, "section_id" uuid not null, "state" "match_state" not null default 'PENDING', "lead" boolean not null default false, "reason" text null, "created_by" uuid not null, "created_at" timestamptz not null, "decided_by" uuid null, "decided_at" timestamptz null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "match_proposal_id_created_at_index" on "match" ("proposal_id", "created_at");`);
    this.addSql(`create index "match_section_id_state_created_at_index" on "match" ("section_id", "state", "created_at");`);
    this.addSql(`create unique index "match_active_lead_unique" on "match" ("proposal_id") where "lead" and "state" in ('PENDING', 'ACCEPTED');`);
    this.addSql(`create unique index "match_active_section_unique" on "match" ("proposal_id", "section_id") where "state" in ('PENDING', 'ACCEPTED');`);

    this.addSql(`alter table "proposal" add "desk_owner_id" uuid null;`);
    this.addSql(`alter table "proposal" add constraint "proposal_desk_owner_id_foreign" foreign key ("desk_owner_id") references "account" ("id") on delete restrict;`);

    this.addSql(`alter table "match" add constraint "match_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);
    this.addSql(`alter table "match" add constraint "match_section_id_foreign" foreign key ("section_id") references "section" ("id") on delete restrict;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "match" cascade;`);

    this.addSql(`alter table "proposal" drop constraint "proposal_desk_owner_id_foreign";`);

    this.addSql(`alter table "proposal" drop column "desk_owner_id";`);

    this.addSql(`drop type "match_state";`);
  }

}
