import { Migration } from '@mikro-orm/migrations';

/** Message search walks the newest messages first (server/src/search/search.sql.ts). */
export class Migration20261124152731_message_newest_first_index extends Migration {

  override name = 'Migration20261124152731_message_newest_first_index';

  override up(): void | Promise<void> {
    this.addSql(`create index "message_created_at_id_index" on "message" ("created_at", "id");`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "message_created_at_id_index";`);
  }

}
