import { Migration } from '@mikro-orm/migrations';

/** Protection looked up by message and by attachment (every live message asks) without scanning the register. */
export class Migration20261124224132_protection_item_indexes extends Migration {

  override name = 'Migration20261124224132_protection_item_indexes';

  override up(): void | Promise<void> {
    this.addSql(`create index "protection_request_attachment_id_index" on "protection_request" ("attachment_id");`);
    this.addSql(`create index "protection_request_message_id_index" on "protection_request" ("message_id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "protection_request_attachment_id_index";`);
    this.addSql(`drop index "protection_request_message_id_index";`);
  }

}
