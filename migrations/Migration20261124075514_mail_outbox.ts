import { Migration } from '@mikro-orm/migrations';

export class Migration20261124075514_mail_outbox extends Migration {

  override name = 'Migration20261124075514_mail_outbox';

  override up(): void | Promise<void> {
    this.addSql(`create table "caught_mail" ("id" uuid not null, "to" text not null, "subject" text not null, "text" text not null, "message_id" text null, "received_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`create index "caught_mail_received_at_index" on "caught_mail" ("received_at");`);

    this.addSql(`create table "mail_message" ("id" uuid not null, "kind" text not null, "to" text not null, "subject" text not null, "text_body" text not null, "created_at" timestamptz not null, "attempts" int not null default 0, "next_attempt_at" timestamptz not null, "sent_at" timestamptz null, "failed_at" timestamptz null, "last_error" text null, primary key ("id"));`);
    this.addSql(`create index "mail_message_due_idx" on "mail_message" ("next_attempt_at") where "sent_at" is null and "failed_at" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "caught_mail" cascade;`);
    this.addSql(`drop table if exists "mail_message" cascade;`);
  }

}
