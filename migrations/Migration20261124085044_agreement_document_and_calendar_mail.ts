import { Migration } from '@mikro-orm/migrations';

export class Migration20261124085044_agreement_document_and_calendar_mail extends Migration {

  override name = 'Migration20261124085044_agreement_document_and_calendar_mail';

  override up(): void | Promise<void> {
    this.addSql(`create type "attachment_purpose" as enum ('PROPOSAL', 'AGREEMENT_DOCUMENT');`);
    this.addSql(`alter table "mail_message" add "calendar" text null;`);
    this.addSql(`alter table "caught_mail" add "calendar" text null;`);

    this.addSql(`alter table "attachment" add "purpose" "attachment_purpose" not null default 'PROPOSAL';`);

    this.addSql(`alter table "agreement_record" add "document_id" uuid null;`);
    this.addSql(`alter table "agreement_record" add constraint "agreement_record_document_id_foreign" foreign key ("document_id") references "attachment" ("id") on delete restrict;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "agreement_record" drop constraint "agreement_record_document_id_foreign";`);

    this.addSql(`alter table "agreement_record" drop column "document_id";`);

    this.addSql(`alter table "attachment" drop column "purpose";`);

    this.addSql(`alter table "mail_message" drop column "calendar";`);
    this.addSql(`alter table "caught_mail" drop column "calendar";`);

    this.addSql(`drop type "attachment_purpose";`);
  }

}
