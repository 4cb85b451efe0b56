import { Migration } from '@mikro-orm/migrations';

export class Migration20261124094950_message_attachments extends Migration {

  override name = 'Migration20261124094950_message_attachments';

  override up(): void | Promise<void> {
    this.addSql(`alter type "attachment_purpose" add value if not exists 'MESSAGE' after 'AGREEMENT_DOCUMENT';`);
    this.addSql(`alter table "attachment" add "thread_id" uuid null, add "message_id" uuid null;`);
    this.addSql(`alter table "attachment" add constraint "attachment_thread_id_foreign" foreign key ("thread_id") references "thread" ("id") on delete restrict;`);
    this.addSql(`alter table "attachment" add constraint "attachment_message_id_foreign" foreign key ("message_id") references "message" ("id") on delete restrict;`);
    this.addSql(`create index "attachment_message_id_index" on "attachment" ("message_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`alter table "attachment" drop constraint "attachment_thread_id_foreign";`);
    this.addSql(`alter table "attachment" drop constraint "attachment_message_id_foreign";`);

    this.addSql(`drop index "attachment_message_id_index";`);
    this.addSql(`alter table "attachment" drop column "thread_id", drop column "message_id";`);
  }

}
