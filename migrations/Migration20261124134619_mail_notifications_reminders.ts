import { Migration } from '@mikro-orm/migrations';

export class Migration20261124134619_mail_notifications_reminders extends Migration {

  override name = 'Migration20261124134619_mail_notifications_reminders';

  override up(): void | Promise<void> {
    this.addSql(`create type "mail_delivery" as enum ('IMMEDIATE', 'DAILY', 'NONE');`);
    this.addSql(`create table "mail_digest" ("account_id" uuid not null, "digest_date" date not null, "item_count" int not null default 0, "sent_at" timestamptz not null, primary key ("account_id", "digest_date"));`);

    this.addSql(`create table "notification_preference" ("id" uuid not null, "account_id" uuid not null, "kind" "notification_kind" not null, "delivery" "mail_delivery" not null, "updated_at" timestamptz not null, primary key ("id"));`);
    this.addSql(`alter table "notification_preference" add constraint "notification_preference_account_id_kind_unique" unique ("account_id", "kind");`);

    this.addSql(`create table "reminder" ("key" text not null, "recipient_id" uuid not null, "proposal_id" uuid not null, "sent_at" timestamptz not null, primary key ("key"));`);

    this.addSql(`alter table "stage_target" add "remind_every_business_days" int null;`);
    this.addSql(`alter table "mail_message" add "notification_ids" uuid[] not null default '{}';`);

    this.addSql(`alter type "notification_kind" add value if not exists 'STAGE_OVER_TARGET' after 'PROPOSAL_STATE';`);
    this.addSql(`alter type "notification_kind" add value if not exists 'REPORT_DUE' after 'STAGE_OVER_TARGET';`);
    this.addSql(`alter table "notification" add "mail_decided_at" timestamptz null, add "mail_outcome" text null;`);
    // Notifications from before mail existed are not mailed now, all at once.
    this.addSql(`update "notification" set "mail_decided_at" = now(), "mail_outcome" = 'NONE';`);
    this.addSql(`create index "notification_mail_undecided_idx" on "notification" ("created_at") where "mail_decided_at" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "mail_digest" cascade;`);
    this.addSql(`drop table if exists "notification_preference" cascade;`);
    this.addSql(`drop table if exists "reminder" cascade;`);

    this.addSql(`drop index "notification_mail_undecided_idx";`);
    this.addSql(`alter table "notification" drop column "mail_decided_at", drop column "mail_outcome";`);

    this.addSql(`alter table "stage_target" drop column "remind_every_business_days";`);
    this.addSql(`alter table "mail_message" drop column "notification_ids";`);

    this.addSql(`drop type "mail_delivery";`);
  }

}
