import { Migration } from '@mikro-orm/migrations';

export class Migration20261124065001_section_active_name_unique extends Migration {

  override name = 'Migration20261124065001_section_active_name_unique';

  override up(): void | Promise<void> {
    this.addSql(`drop index "section_department_id_name_index";`);
    this.addSql(`create unique index "section_active_name_unique" on "section" ("department_id", "name") where "retired_at" is null;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop index "section_active_name_unique";`);
    this.addSql(`create index "section_department_id_name_index" on "section" ("department_id", "name");`);
  }

}
