import { Migration } from '@mikro-orm/migrations';

export class Migration20261124130138_publication_audit_search extends Migration {

  override name = 'Migration20261124130138_publication_audit_search';

  override up(): void | Promise<void> {
    // Japanese search (server/src/search/search-expressions.ts): a text's character bigrams, NFKC and
    // lower-cased, whitespace skipped. Immutable, so GIN expression indexes can use it; two-character
    // terms (防災, 子育) are answered by the index, which pg_trgm (three characters) cannot do.
    this.addSql(`create or replace function renkei_bigrams(source text) returns text[] language sql immutable strict parallel safe as \$\$
      select coalesce(array_agg(distinct gram), '{}'::text[])
      from (select substr(normalised, position, 2) as gram
            from (select lower(normalize(source, NFKC)) as normalised) as n,
                 generate_series(1, char_length(normalised) - 1) as position) as grams
      where gram !~ '\\s'
    \$\$;`);
    this.addSql(`create type "case_state" as enum ('DRAFT', 'PUBLISHED', 'WITHDRAWN');`);
    this.addSql(`create table "audit_entry" ("id" bigserial primary key, "at" timestamptz not null, "actor_id" uuid null, "action" text not null, "subject_kind" text not null, "subject_id" text null, "reason" text null, "chain_seq" bigint not null default 0, "prev_hash" text not null default '', "hash" text not null default '', "details" jsonb not null);`);
    this.addSql(`alter table "audit_entry" add constraint "audit_entry_chain_seq_unique" unique ("chain_seq");`);
    // The audit chain's digest: sha256 over a row's facts and the previous row's hash, computed by
    // the insert trigger and recomputed by the verifier (server/src/audit/audit-chain.ts). Nulls
    // are spelled out so that null and '' differ; jsonb's text form is canonical.
    this.addSql(`create or replace function audit_entry_digest(entry audit_entry) returns text language sql immutable parallel safe as \$\$
      select encode(sha256(convert_to(concat_ws('|',
        entry.chain_seq::text, entry.prev_hash, (extract(epoch from entry.at))::text, coalesce(entry.actor_id::text, '<null>'),
        entry.action, entry.subject_kind, coalesce(entry.subject_id, '<null>'), coalesce(entry.reason, '<null>'), entry.details::text), 'UTF8')), 'hex')
    \$\$;`);
    this.addSql(`create index "audit_entry_subject_kind_subject_id_at_index" on "audit_entry" ("subject_kind", "subject_id", "at");`);
    this.addSql(`create index "audit_entry_at_index" on "audit_entry" ("at");`);

    this.addSql(`create table "public_case" ("id" uuid not null, "proposal_id" uuid not null, "state" "case_state" not null default 'DRAFT', "title" text not null, "summary" text not null default '', "blocks" jsonb not null, "field_codes" text[] not null, "fiscal_year" int not null, "consented_at" timestamptz null, "consented_by" uuid null, "published_content" jsonb null, "search_text" text not null default '', "lead_section_id" uuid null, "organisation_kind" "organisation_kind" null, "first_published_at" timestamptz null, "published_at" timestamptz null, "published_by" uuid null, "withdrawn_at" timestamptz null, "withdrawn_by" uuid null, "withdraw_reason" text null, "created_by" uuid not null, "created_at" timestamptz not null, "updated_at" timestamptz not null, "version" int not null default 1, primary key ("id"));`);
    this.addSql(`create index "public_case_search_bigrams" on "public_case" using gin (renkei_bigrams((coalesce(search_text, ''))));`);
    this.addSql(`create index "public_case_state_first_published_at_index" on "public_case" ("state", "first_published_at");`);
    this.addSql(`alter table "public_case" add constraint "public_case_proposal_id_unique" unique ("proposal_id");`);

    this.addSql(`create index "challenge_search_bigrams" on "challenge" using gin (renkei_bigrams((coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || coalesce(background, ''))));`);

    this.addSql(`create index "proposal_search_bigrams" on "proposal" using gin (renkei_bigrams((coalesce(title, '') || ' ' || coalesce(ward_issue, '') || ' ' || coalesce(content, '') || ' ' || coalesce(expected_effects, '') || ' ' || coalesce(ask_of_ward, '') || ' ' || coalesce(ward_cost_reason, '') || ' ' || coalesce(own_resources, '') || ' ' || coalesce(schedule, ''))));`);

    this.addSql(`create index "message_search_bigrams" on "message" using gin (renkei_bigrams((coalesce(body, ''))));`);

    this.addSql(`create or replace function "audit_entry_audit_entry_append_only_fn"() returns trigger as \$\$ begin raise exception 'audit_entry is append-only'; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_entry_append_only" BEFORE UPDATE OR DELETE on "audit_entry" for each ROW execute function "audit_entry_audit_entry_append_only_fn"();`);
    this.addSql(`create or replace function "audit_entry_audit_entry_chain_fn"() returns trigger as \$\$ begin perform pg_advisory_xact_lock(7305001); new.chain_seq := coalesce((select max(chain_seq) from audit_entry), 0) + 1; new.prev_hash := coalesce((select hash from audit_entry where chain_seq = new.chain_seq - 1), ''); new.hash := audit_entry_digest(new); return new; end; \$\$ language plpgsql;`);
    this.addSql(`create trigger "audit_entry_chain" BEFORE INSERT on "audit_entry" for each ROW execute function "audit_entry_audit_entry_chain_fn"();`);

    this.addSql(`alter table "public_case" add constraint "public_case_proposal_id_foreign" foreign key ("proposal_id") references "proposal" ("id") on delete restrict;`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "audit_entry_chain" on "audit_entry";`);
    this.addSql(`drop function if exists "audit_entry_audit_entry_chain_fn"();`);
    this.addSql(`drop trigger if exists "audit_entry_append_only" on "audit_entry";`);
    this.addSql(`drop function if exists "audit_entry_audit_entry_append_only_fn"();`);
    this.addSql(`drop function if exists audit_entry_digest(audit_entry);`);
    this.addSql(`drop table if exists "audit_entry" cascade;`);
    this.addSql(`drop table if exists "public_case" cascade;`);

    this.addSql(`drop index "challenge_search_bigrams";`);

    this.addSql(`drop index "message_search_bigrams";`);

    this.addSql(`drop index "proposal_search_bigrams";`);

    this.addSql(`drop type "case_state";`);
    this.addSql(`drop function if exists renkei_bigrams(text);`);
  }

}
