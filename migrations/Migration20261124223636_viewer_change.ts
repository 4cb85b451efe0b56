import { Migration } from '@mikro-orm/migrations';

/**
 * The viewer-change counter (server/src/identity/viewer-change.entity.ts): one row, moved on by
 * triggers whenever a session ends or a session's viewer changes, so that live streams can check
 * their subscribers' sessions at every event by reading one counter.
 */
export class Migration20261124223636_viewer_change extends Migration {

  override name = 'Migration20261124223636_viewer_change';

  override up(): void | Promise<void> {
    this.addSql(`create table "viewer_change" ("id" smallint not null, "counter" bigint not null, primary key ("id"));`);
    this.addSql(`insert into "viewer_change" ("id", "counter") values (1, 0);`);

    this.addSql(`create or replace function "account_account_viewer_change_delete_fn"() returns trigger as \$\$ begin update viewer_change set counter = counter + 1 where id = 1; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "account_viewer_change_delete" AFTER DELETE on "account" for each ROW execute function "account_account_viewer_change_delete_fn"();`);
    this.addSql(`create or replace function "account_account_viewer_change_update_fn"() returns trigger as \$\$ begin if old.role is distinct from new.role or old.section_id is distinct from new.section_id or old.disabled_at is distinct from new.disabled_at then update viewer_change set counter = counter + 1 where id = 1; end if; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "account_viewer_change_update" AFTER UPDATE on "account" for each ROW execute function "account_account_viewer_change_update_fn"();`);

    this.addSql(`create or replace function "membership_membership_viewer_change_delete_fn"() returns trigger as \$\$ begin update viewer_change set counter = counter + 1 where id = 1; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "membership_viewer_change_delete" AFTER DELETE on "membership" for each ROW execute function "membership_membership_viewer_change_delete_fn"();`);
    this.addSql(`create or replace function "membership_membership_viewer_change_write_fn"() returns trigger as \$\$ begin update viewer_change set counter = counter + 1 where id = 1; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "membership_viewer_change_write" AFTER INSERT OR UPDATE on "membership" for each ROW execute function "membership_membership_viewer_change_write_fn"();`);

    this.addSql(`create or replace function "session_session_viewer_change_delete_fn"() returns trigger as \$\$ begin update viewer_change set counter = counter + 1 where id = 1; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "session_viewer_change_delete" AFTER DELETE on "session" for each ROW execute function "session_session_viewer_change_delete_fn"();`);
    this.addSql(`create or replace function "session_session_viewer_change_update_fn"() returns trigger as \$\$ begin if old.revoked_at is distinct from new.revoked_at or old.expires_at is distinct from new.expires_at or new.last_seen_at < old.last_seen_at or old.account_id is distinct from new.account_id or old.token_hash is distinct from new.token_hash then update viewer_change set counter = counter + 1 where id = 1; end if; return null; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "session_viewer_change_update" AFTER UPDATE on "session" for each ROW execute function "session_session_viewer_change_update_fn"();`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop table if exists "viewer_change" cascade;`);

    this.addSql(`drop trigger if exists "account_viewer_change_delete" on "account";`);
    this.addSql(`drop function if exists "account_account_viewer_change_delete_fn"();`);
    this.addSql(`drop trigger if exists "account_viewer_change_update" on "account";`);
    this.addSql(`drop function if exists "account_account_viewer_change_update_fn"();`);

    this.addSql(`drop trigger if exists "membership_viewer_change_delete" on "membership";`);
    this.addSql(`drop function if exists "membership_membership_viewer_change_delete_fn"();`);
    this.addSql(`drop trigger if exists "membership_viewer_change_write" on "membership";`);
    this.addSql(`drop function if exists "membership_membership_viewer_change_write_fn"();`);

    this.addSql(`drop trigger if exists "session_viewer_change_delete" on "session";`);
    this.addSql(`drop function if exists "session_session_viewer_change_delete_fn"();`);
    this.addSql(`drop trigger if exists "session_viewer_change_update" on "session";`);
    this.addSql(`drop function if exists "session_session_viewer_change_update_fn"();`);
  }

}
