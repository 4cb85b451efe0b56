/**
 * The benchmark's data generator: a realistic volume in Japanese (at --scale 1: 2,000
 * organisations, 150 sections, 100,000 proposals across every state, 1,000,000 messages, protection
 * requests on a share), written by set-based SQL (INSERT … SELECT generate_series), deterministic:
 * every "random" choice is hashint8extended(row number, seed), so the same scale gives the same
 * database. The schema comes from the ORM's migrations; the database is kept and reused by scale.
 *
 *   npx tsx bench/generate.ts --scale 0.01 [--force]
 */
import 'reflect-metadata';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { CHALLENGE_FIELDS } from '../src/challenges/challenge-fields.js';
import { databaseUrlFor, dropDatabase, ensureDatabase } from '../src/db/create-database.js';
import { openDatabase } from '../src/db/orm.js';
import { startEmbeddedPostgres } from '../src/db/embedded-postgres.js';
import { createLogger } from '../src/logging/logger.js';

const SEED = 20261124;
/** Bumped whenever the generator's output changes: a database made by another version is regenerated. */
const GENERATOR_VERSION = 3;

export interface BenchServer {
  /** The maintenance database of the PostgreSQL server the bench database lives on. */
  adminUrl: string;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The project's rule: DATABASE_URL's server when set (the bench creates its own database there, as
 * the tests do), else an embedded PostgreSQL whose data stays under .data/bench/postgres so the
 * generated database is reused by the next run.
 */
export async function benchServer(log: (line: string) => void): Promise<BenchServer> {
  if (process.env.DATABASE_URL) {
    log(`[db] DATABASE_URL's server (${new URL(process.env.DATABASE_URL).host})`);
    return { adminUrl: process.env.DATABASE_URL, embedded: false, stop: async () => undefined };
  }
  const repoRoot = path.resolve(import.meta.dirname, '../..');
  const dataDir = path.resolve(process.env.BENCH_DATA_DIR ?? path.join(repoRoot, '.data', 'bench'));
  fs.mkdirSync(dataDir, { recursive: true });
  const running = await startEmbeddedPostgres(path.join(dataDir, 'postgres'), createLogger(process.env.BENCH_LOG_LEVEL ?? 'warn'));
  // A loading cluster: fewer checkpoints during the generation, and room for the subscribers' pools.
  const admin = new pg.Client({ connectionString: running.adminUrl });
  await admin.connect();
  try {
    await admin.query(`alter system set max_wal_size = '4GB'`);
    await admin.query(`alter system set checkpoint_timeout = '15min'`);
    await admin.query(`select pg_reload_conf()`);
  } finally {
    await admin.end();
  }
  log(`[db] embedded PostgreSQL, data in ${path.relative(process.cwd(), dataDir) || dataDir}`);
  return { adminUrl: running.adminUrl, embedded: true, stop: running.stop };
}

export function benchDatabaseName(scale: number): string {
  return `renkei_bench_s${String(scale).replace('.', '_')}`;
}

export interface Volumes {
  organisations: number;
  sections: number;
  challenges: number;
  proposals: number;
  messages: number;
  deskAccounts: number;
  staffPerSection: number;
}

export function volumesFor(scale: number): Volumes {
  const at = (full: number, min: number) => Math.max(min, Math.round(full * scale));
  return { organisations: at(2000, 20), sections: at(150, 20), challenges: at(60, 9), proposals: at(100_000, 200), messages: at(1_000_000, 2000), deskAccounts: 10, staffPerSection: 4 };
}

/** Deterministic ids: the same scale gives the same rows (and the bench finds its "hot" proposal by id). */
export const ids = {
  proposal: (i: number) => `md5('p${SEED}-' || ${i})::uuid`,
};
export const HOT_PROPOSAL_SQL = `md5('p${SEED}-' || 0)::uuid`;
export const HOT_ORG_SQL = `md5('o${SEED}-' || 0)::uuid`;

const DEPARTMENTS: Array<[string, string[]]> = [
  ['政策経営部', ['政策企画課', '経営改革推進課', '財政課', '広聴広報課']],
  ['総務部', ['総務課', '人事課']],
  ['危機管理部', ['防災危機管理課', '地域防災支援課']],
  ['区民文化部', ['地域振興課', '戸籍住民課', '文化・国際交流課', 'スポーツ振興課']],
  ['産業経済部', ['産業振興課', 'くらしと観光課', '産業戦略担当課', '赤塚支所']],
  ['健康生きがい部', ['長寿社会推進課', '介護保険課', '健康推進課']],
  ['保健所', ['生活衛生課', '予防対策課']],
  ['福祉部', ['障がい政策課', '障がいサービス課', '福祉政策課']],
  ['子ども家庭部', ['子ども政策課', '保育運営課', '子育て支援施設課']],
  ['子ども家庭総合支援センター', ['支援課', '援助課']],
  ['資源環境部', ['環境政策課', '資源循環推進課', '板橋東清掃事務所', '板橋西清掃事務所']],
  ['都市整備部', ['都市計画課', '住宅政策課', '建築指導課']],
  ['まちづくり推進室', ['まちづくり調整課', '拠点整備課']],
  ['土木部', ['管理課', '計画課', 'みどりと公園課']],
  ['会計管理室', ['会計課']],
  ['教育委員会事務局', ['教育総務課', '学務課', '生涯学習課', '中央図書館']],
  ['選挙管理委員会事務局', ['選挙課']],
  ['監査委員事務局', ['監査課']],
  ['区議会事務局', ['議事課']],
];

// Fragments composed into sentences: two- and three-character terms (防災, 子育, 高齢者, 絵本 …)
// occur at the rates a real desk's dialogue would give them, not in every row.
const SUBJECTS = [
  '地域の防災訓練', '子育て世帯への支援', '高齢者の見守り活動', '絵本の読み聞かせ会', '公園の清掃活動', '商店街の賑わい創出',
  '環境教育の出前授業', '障がい理解の啓発イベント', '男女平等参画の講座', 'リサイクル拠点の設置', '防犯パトロール', '多様性理解のワークショップ',
  '子ども食堂の運営', '高齢者向けのスマホ教室', '避難所の運営訓練', '図書館との連携企画', '空き店舗の活用', '地域猫の見守り', '区民まつりへの出展',
  '学校での職業体験', '健康づくりのウォーキング', '外国人住民向けの案内', '自転車の安全教室', '区役所ロビーでの展示', '脱炭素の普及啓発',
];
const PREDICATES = [
  'について、日程案をお送りします。', 'の件、所管課と調整しました。', 'について、会場の候補を確認しています。', 'の費用負担について、区の負担はない想定です。',
  'に関する資料を添付いたします。', 'の進め方について、ご意見をいただけますか。', 'は来月の打合せで議題にします。', 'の実施報告書の案を作成しました。',
  'の参加者数は前回より増える見込みです。', 'について、広報紙への掲載を検討しています。', 'の協定書の文案を確認中です。', 'の安全管理体制を整理しました。',
];
const OPENERS = ['お世話になっております。', 'ご連絡ありがとうございます。', '承知しました。', '先日の打合せではありがとうございました。', '', '確認いたしました。', 'いつもお世話になっております。', ''];
const CLOSERS = ['よろしくお願いいたします。', '引き続きご検討ください。', '', 'ご確認をお願いします。', '来週中にご回答いただけると助かります。', '以上、取り急ぎご報告まで。'];
const ORG_PREFIXES = ['株式会社', '一般社団法人', '特定非営利活動法人', '学校法人', '有限会社', '公益財団法人'];
const ORG_STEMS = ['板橋', 'みらい', 'ひかり', 'あおば', '城北', '志村', '赤塚', '高島平', '成増', '常盤台', 'つばさ', 'こども', 'まちづくり', 'グリーン', 'ケア'];
const ORG_TAILS = ['商事', 'ラボ', '研究所', 'ネットワーク', '福祉会', '大学', '工房', 'サービス', '協会', 'デザイン'];
const ORG_KANA = ['イタバシ', 'ミライ', 'ヒカリ', 'アオバ', 'ジョウホク', 'シムラ', 'アカツカ', 'タカシマダイラ', 'ナリマス', 'トキワダイ', 'ツバサ', 'コドモ', 'マチヅクリ', 'グリーン', 'ケア'];
const SURNAMES = ['佐藤', '鈴木', '高橋', '田中', '伊藤', '渡辺', '山本', '中村', '小林', '加藤', '吉田', '山田', '佐々木', '松本', '井上'];
const GIVEN = ['一郎', '花子', '健太', '美咲', '大輔', '由美', '翔', '陽子', '誠', '智子'];
const TITLE_TAILS = ['の提案', 'プロジェクト', 'に関する連携提案', 'の共同実施', 'モデル事業'];

/** renkei_bigrams' set of bigrams, in PL/pgSQL (about 7× faster here); installed as renkei_bigrams during the load only. */
const FAST_BIGRAMS_BODY = `language plpgsql immutable parallel safe strict as $fn$
  declare n text := lower(normalize(source, NFKC)); g text; acc text[] := '{}'; i int;
  begin
    for i in 1 .. char_length(n) - 1 loop
      g := substr(n, i, 2);
      if g !~ '\\s' and not (g = any(acc)) then acc := acc || g; end if;
    end loop;
    return acc;
  end $fn$`;
const FAST_BIGRAMS = `create or replace function bench_fast_bigrams(source text) returns text[] ${FAST_BIGRAMS_BODY};
  create or replace function renkei_bigrams(source text) returns text[] ${FAST_BIGRAMS_BODY}`;

/** `(arr)[1 + h % n]` with a seeded hash of `expr`. */
function pick(array: readonly string[], expr: string, salt: number): string {
  return `(${sqlArray(array)})[1 + (abs(hashint8extended((${expr})::bigint, ${SEED + salt})) % ${array.length})]`;
}
function sqlArray(array: readonly string[]): string {
  return `array[${array.map((s) => `'${s.replace(/'/g, "''")}'`).join(',')}]::text[]`;
}
function h(expr: string, salt: number, mod: number): string {
  return `(abs(hashint8extended((${expr})::bigint, ${SEED + salt})) % ${mod})`;
}
function sentence(expr: string, salt: number): string {
  return `${pick(SUBJECTS, expr, salt)} || ${pick(PREDICATES, expr, salt + 1)}`;
}

/** A state by weight: drafts, the pipeline, the ends. */
const STATE_WEIGHTS: Array<[string, number]> = [
  ['DRAFT', 8], ['SUBMITTED', 5], ['UNDER_REVIEW', 7], ['IN_DIALOGUE', 20], ['AGREED', 8], ['IN_PROGRESS', 12],
  ['REPORTED', 5], ['PUBLISHED', 10], ['RETURNED', 10], ['NOT_REALIZED', 8], ['WITHDRAWN', 7],
];
function stateCase(expr: string): string {
  let cumulative = 0;
  const whens = STATE_WEIGHTS.map(([state, weight]) => {
    cumulative += weight;
    return `when ${h(expr, 40, 100)} < ${cumulative} then '${state}'`;
  });
  return `(case ${whens.join(' ')} end)::proposal_state`;
}

export async function generate(adminUrl: string, scale: number, options: { force?: boolean; log?: (line: string) => void } = {}): Promise<{ url: string; seconds: number; reused: boolean }> {
  const log = options.log ?? ((line: string) => console.log(line));
  // The generated data lives in a template database; each run works on a fresh copy of it, so
  // what one run posts (messages, sessions, events) never changes what the next one measures.
  const template = `${benchDatabaseName(scale)}_data`;
  const runName = benchDatabaseName(scale);
  const marker = `renkei bench data scale=${scale} seed=${SEED} generator=${GENERATOR_VERSION} complete`;
  let result: { seconds: number; reused: boolean };
  const { rows } = await adminQuery<{ comment: string | null }>(adminUrl, `select shobj_description(oid, 'pg_database') as comment from pg_database where datname = $1`, [template]);
  if (!options.force && rows[0]?.comment === marker) {
    log(`[generate] reusing ${template} (scale ${scale})`);
    // Migrations added since are applied at open; the data stays.
    const orm = await openDatabase(databaseUrlFor(adminUrl, template), 2);
    await orm.close();
    result = { seconds: 0, reused: true };
  } else {
    await dropDatabase(adminUrl, runName);
    result = { seconds: await generateInto(adminUrl, template, scale, marker, log), reused: false };
  }
  const t = performance.now();
  await dropDatabase(adminUrl, runName);
  // A file copy (PostgreSQL 15 and later) is much faster than WAL-logging every block of the copy.
  await adminQuery(adminUrl, `create database ${runName} template ${template} strategy file_copy`).catch(() => adminQuery(adminUrl, `create database ${runName} template ${template}`));
  log(`[generate] ${runName}: a fresh copy of ${template} in ${((performance.now() - t) / 1000).toFixed(1)} s`);
  return { url: databaseUrlFor(adminUrl, runName), ...result };
}

async function adminQuery<R extends pg.QueryResultRow>(adminUrl: string, sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    return await admin.query<R>(sql, params);
  } finally {
    await admin.end();
  }
}

/** Generates the data into a new database `name`; returns the seconds it took. */
async function generateInto(ADMIN_URL: string, name: string, scale: number, marker: string, log: (line: string) => void): Promise<number> {
  const url = databaseUrlFor(ADMIN_URL, name);
  const started = performance.now();
  await dropDatabase(ADMIN_URL, name);
  await ensureDatabase(ADMIN_URL, name);
  const orm = await openDatabase(url, 2);
  await orm.close();
  const v = volumesFor(scale);
  log(`[generate] ${name}: ${JSON.stringify(v)}`);

  const db = new pg.Client({ connectionString: url });
  await db.connect();
  const step = async (label: string, sql: string, params: unknown[] = []) => {
    const t = performance.now();
    const result = await db.query(sql, params);
    log(`[generate]   ${label.padEnd(28)} ${String(result.rowCount ?? '').padStart(9)} rows ${((performance.now() - t) / 1000).toFixed(1).padStart(6)} s`);
  };
  try {
    await db.query(`set maintenance_work_mem = '512MB'; set synchronous_commit = off; set session_replication_role = replica`);
    // The message bigram index is built once after the load: far cheaper than a million inserts into a GIN.
    const { rows: gin } = await db.query<{ def: string }>(
      `select pg_get_indexdef(c.oid) as def from pg_class c where c.relname in ('message_search_bigrams', 'proposal_search_bigrams') order by c.relname`,
    );
    await db.query('drop index message_search_bigrams; drop index proposal_search_bigrams');
    // renkei_bigrams (the migration's SQL function) costs about 1 ms a call here: a million-row index
    // build would take a quarter of an hour. During the load it is replaced by an equivalent PL/pgSQL
    // body (the same set of bigrams: checked below on every generated message before the swap back),
    // and the migration's own definition is restored before the data is declared complete.
    const { rows: original } = await db.query<{ def: string }>(`select pg_get_functiondef('renkei_bigrams'::regproc) as def`);
    await db.query(FAST_BIGRAMS);

    // Departments and sections: the ward's chart, repeated with numbered 担当課 until there are enough.
    const departments = DEPARTMENTS.map(([dept], index) => [dept, index]);
    await step('department', `insert into department (id, name, sort_order) select md5('d' || o)::uuid, n, o::int from unnest($1::text[]) with ordinality as t(n, o)`, [departments.map(([d]) => d)]);
    const sectionNames: Array<[string, number]> = [];
    for (let round = 0; sectionNames.length < v.sections; round++) {
      for (const [index, [, sections]] of DEPARTMENTS.entries()) {
        for (const section of sections) {
          if (sectionNames.length >= v.sections) break;
          sectionNames.push([round === 0 ? section : `${section.replace(/課$/, '')}第${round + 1}担当課`, index + 1]);
        }
      }
    }
    await step(
      'section',
      `insert into section (id, department_id, name, is_desk, sort_order, version)
       select md5('s' || o)::uuid, md5('d' || dep)::uuid, n, n = '経営改革推進課', o::int, 1 from unnest($1::text[], $2::int[]) with ordinality as t(n, dep, o)`,
      [sectionNames.map(([n]) => n), sectionNames.map(([, d]) => d)],
    );
    // Section ids 1..S by sort_order: section k is md5('s' || k).
    const S = v.sections;
    const sectionId = (expr: string) => `md5('s' || (1 + ((${expr}) % ${S})))::uuid`;

    const person = (expr: string, salt: number) => `${pick(SURNAMES, expr, salt)} || ' ' || ${pick(GIVEN, expr, salt + 1)}`;
    await step(
      'account (desk)',
      `insert into account (id, email, display_name, password_hash, role, section_id, created_at)
       select md5('ad' || i)::uuid, 'desk' || i || '@bench.renkei.invalid', ${person('i', 1)}, 'bench:no-login', 'DESK', (select id from section where is_desk), now() - interval '3 years'
       from generate_series(1, ${v.deskAccounts}) i`,
    );
    await step(
      'account (section staff)',
      `insert into account (id, email, display_name, password_hash, role, section_id, created_at)
       select md5('as' || i)::uuid, 'staff' || i || '@bench.renkei.invalid', ${person('i', 3)}, 'bench:no-login', 'SECTION', ${sectionId(`i - 1`)}, now() - interval '3 years'
       from generate_series(1, ${S * v.staffPerSection}) i`,
    );

    const O = v.organisations;
    const orgName = `${pick(ORG_PREFIXES, 'i', 5)} || ${pick(ORG_STEMS, 'i', 6)} || ${pick(ORG_TAILS, 'i', 7)} || i`;
    await step(
      'organisation',
      `insert into organisation (id, name, name_kana, kind, corporate_number, address, representative, contact_name, contact_email, contact_phone, verified_at, created_at, version)
       select md5('o${SEED}-' || i)::uuid, ${orgName}, ${pick(ORG_KANA, 'i', 6)} || i, (array['COMPANY','COMPANY','COMPANY','UNIVERSITY','NPO','NPO','ASSOCIATION','OTHER'])[1 + ${h('i', 8, 8)}]::organisation_kind,
              null, '東京都板橋区板橋二丁目' || (1 + i % 60) || '番' || (1 + i % 20) || '号', ${person('i', 9)}, ${person('i', 11)},
              'org' || i || '@bench.renkei.invalid', '03-' || lpad((3000 + i % 6000)::text, 4, '0') || '-' || lpad((i % 10000)::text, 4, '0'),
              now() - interval '3 years', now() - interval '3 years', 1
       from generate_series(0, ${O - 1}) i`,
    );
    // Two proposer accounts per organisation; the hot organisation (0) gets ten.
    const proposerCount = 2 * O + 8;
    await step(
      'account (proposers)',
      `insert into account (id, email, display_name, password_hash, role, section_id, created_at)
       select md5('ap' || i)::uuid, 'member' || i || '@bench.renkei.invalid', ${person('i', 13)}, 'bench:no-login', 'PROPOSER', null, now() - interval '3 years'
       from generate_series(0, ${proposerCount - 1}) i`,
    );
    await step(
      'membership',
      `insert into membership (id, organisation_id, account_id, joined_at)
       select md5('m' || i)::uuid, md5('o${SEED}-' || (case when i < ${2 * O} then i / 2 else 0 end))::uuid, md5('ap' || i)::uuid, now() - interval '3 years'
       from generate_series(0, ${proposerCount - 1}) i`,
    );

    const fields = CHALLENGE_FIELDS.map((field) => field.code);
    const fieldNames = CHALLENGE_FIELDS.map((field) => field.nameJa);
    await step(
      'challenge',
      `insert into challenge (id, title, description, background, owning_section_id, field_codes, status, published_at, contact, version, created_at, updated_at, created_by)
       select md5('c' || i)::uuid, ($1::text[])[1 + i % ${fields.length}] || 'の推進に向けた連携先の募集（' || i || '）',
              ${sentence('i', 14)} || ${sentence('i', 16)}, ${sentence('i', 18)}, ${sectionId('i')}, array[($2::text[])[1 + i % ${fields.length}]],
              (array['OPEN','OPEN','CLOSED','DRAFT'])[1 + i % 4]::challenge_status, case when i % 4 = 3 then null else now() - interval '2 years' end,
              '03-3579-' || lpad((2000 + i)::text, 4, '0'), 1, now() - interval '2 years', now() - interval '2 years', md5('ad1')::uuid
       from generate_series(0, ${v.challenges - 1}) i`,
      [fieldNames, fields],
    );

    // Proposals: every state by weight, ages spread over three years, content composed of fragments.
    const P = v.proposals;
    const age = `(${h('i', 20, 1000 * 86400)} * interval '1 second' * 1.1)`;
    await step(
      'proposal',
      `insert into proposal (id, organisation_id, state, reference_number, kind, challenge_id, title, ward_issue, content, expected_effects, ask_of_ward, ward_cost,
                             ward_cost_estimate, ward_cost_reason, own_resources, schedule, hoped_section_ids, pledges_affirmed_at, pledges_affirmed_by,
                             version, created_by, created_at, updated_at, submitted_at, state_entered_at)
       select md5('p${SEED}-' || i)::uuid, md5('o${SEED}-' || (i % ${O}))::uuid, st, case when sub then (2023 + i % 4) || '-' || lpad(i::text, 6, '0') end,
              case when c then 'CHALLENGE' else 'FREE' end::proposal_kind, case when c then md5('c' || (i % ${v.challenges}))::uuid end,
              ${pick(SUBJECTS, 'i', 21)} || ${pick(TITLE_TAILS, 'i', 22)},
              ${sentence('i', 23)}, ${sentence('i', 25)} || ${sentence('i', 27)} || ${sentence('i', 29)}, ${sentence('i', 31)}, ${sentence('i', 33)},
              'NONE', null, '区の費用負担はありません。', ${sentence('i', 35)}, '令和' || (7 + i % 3) || '年度中に実施', array[${sectionId('i')}],
              case when sub then created + interval '2 days' end, case when sub then md5('ap' || (2 * (i % ${O})))::uuid end,
              1 + ${h('i', 37, 5)}::int, md5('ap' || (2 * (i % ${O})))::uuid, created, created + interval '30 days', case when sub then created + interval '2 days' end, created + interval '10 days'
       from (select i, ${stateCase('i')} as st, now() - ${age} as created, ${h('i', 39, 3)} = 0 as c from generate_series(0, ${P - 1}) i) s,
            lateral (select st <> 'DRAFT' or ${h('i', 41, 4)} = 0 as sub) x`,
    );
    // The hot proposal (0): in dialogue, matched to eight sections, proposed by the ten-member organisation.
    await db.query(`update proposal set state = 'IN_DIALOGUE', organisation_id = ${HOT_ORG_SQL}, submitted_at = coalesce(submitted_at, created_at), reference_number = coalesce(reference_number, '2026-000000') where id = ${HOT_PROPOSAL_SQL}`);

    // Matches: proposals from dialogue on have one to three sections (the first the lead), earlier ones pending.
    await step(
      'match',
      `insert into match (id, proposal_id, section_id, state, lead, reason, created_by, created_at, decided_by, decided_at, version)
       select md5('mt' || p.i || '-' || k)::uuid, p.id, ${sectionId(`p.i * 7 + k * 13`)},
              (case when p.state in ('SUBMITTED','UNDER_REVIEW') then 'PENDING'
                    when p.state in ('RETURNED','WITHDRAWN') then 'WITHDRAWN'
                    when k = 3 and ${h('p.i', 43, 3)} = 0 then 'DECLINED'
                    when p.state = 'IN_DIALOGUE' and ${h('p.i + k', 45, 3)} = 0 then 'PENDING' else 'ACCEPTED' end)::match_state,
              k = 1, case when k = 3 and ${h('p.i', 43, 3)} = 0 then '所管外のため' end, md5('ad1')::uuid, p.submitted_at + interval '5 days',
              case when p.state not in ('SUBMITTED','UNDER_REVIEW') then md5('ad1')::uuid end, case when p.state not in ('SUBMITTED','UNDER_REVIEW') then p.submitted_at + interval '8 days' end, 1
       from (select row_number() over (order by id) - 1 as i, id, state, submitted_at from proposal
              where state not in ('DRAFT') and id <> ${HOT_PROPOSAL_SQL} and (state not in ('SUBMITTED','UNDER_REVIEW','RETURNED','WITHDRAWN') or ${h('hashtext(id::text)', 47, 2)} = 0)) p,
            generate_series(1, 1 + ${h('p.i', 49, 3)}::int) k`,
    );
    await step(
      'match (hot proposal)',
      `insert into match (id, proposal_id, section_id, state, lead, created_by, created_at, decided_by, decided_at, version)
       select md5('mth' || k)::uuid, ${HOT_PROPOSAL_SQL}, md5('s' || (1 + k))::uuid, 'ACCEPTED', k = 1, md5('ad1')::uuid, now() - interval '30 days', md5('ad1')::uuid, now() - interval '29 days', 1
       from generate_series(1, 8) k`,
    );

    // Threads: a SHARED and an INTERNAL one on every proposal that reached the ward.
    await step(
      'thread',
      `insert into thread (id, proposal_id, audience, title, created_by, created_at, last_message_at, version)
       select md5('t' || p.id || a)::uuid, p.id, a::audience, ${pick(SUBJECTS, 'hashtext(p.id::text) + length(a)', 51)} || case when a = 'SHARED' then 'のご相談' else '（庁内調整）' end,
              md5('ad1')::uuid, p.submitted_at + interval '3 days', p.submitted_at + interval '20 days', 1
       from proposal p cross join (values ('SHARED'), ('INTERNAL')) v(a) where p.submitted_at is not null`,
    );
    await db.query(`create temporary table thread_n as select row_number() over (order by t.id) - 1 as n, t.id, t.proposal_id, t.audience, p.organisation_id, t.created_at from thread t join proposal p on p.id = t.proposal_id`);
    await db.query(`create index on thread_n (n); analyze thread_n`);
    const T = Number((await db.query<{ count: string }>('select count(*)::text as count from thread_n')).rows[0]!.count);

    // Messages: spread over the threads; bodies of two to four composed sentences; authors by audience.
    const M = v.messages;
    const body = `${pick(OPENERS, 'i', 53)} || ${sentence('i', 55)} || case when ${h('i', 57, 2)} = 0 then ${sentence('i', 59)} else '' end || ${pick(CLOSERS, 'i', 61)}`;
    await step(
      'message',
      `insert into message (id, thread_id, proposal_id, parent_id, depth, quoted_id, author_id, body, body_html, mention_ids, created_at, version)
       select md5('msg' || i)::uuid, t.id, t.proposal_id, null, 0, null,
              case when t.audience = 'SHARED' and i % 2 = 0 then md5('ap0')::uuid
                   when i % 3 = 0 then md5('as' || (1 + ${h('i', 63, S * v.staffPerSection)}))::uuid else md5('ad' || (1 + i % ${v.deskAccounts}))::uuid end,
              b, '<p>' || b || '</p>', '{}', t.created_at + (i / ${T}) * interval '1 hour', 1
       from (select i, ${body} as b from generate_series(0, ${M - 1}) i) m join thread_n t on t.n = m.i % ${T}`,
    );
    // The hot proposal's threads get long histories (a page of 50 must be full for N1).
    await step(
      'message (hot threads)',
      `insert into message (id, thread_id, proposal_id, parent_id, depth, quoted_id, author_id, body, body_html, mention_ids, created_at, version)
       select md5('msgh' || i || t.audience)::uuid, t.id, t.proposal_id, null, 0, null, md5('ad' || (1 + i % ${v.deskAccounts}))::uuid, b, '<p>' || b || '</p>', '{}',
              now() - interval '20 days' + i * interval '1 minute', 1
       from (select i, ${body} as b from generate_series(1, 240) i) m join thread t on t.proposal_id = ${HOT_PROPOSAL_SQL} and (t.audience = 'SHARED' or i % 3 = 0)`,
    );
    // Proposers' messages are written by a member of the proposing organisation.
    await step(
      'message authors (proposers)',
      `update message m set author_id = mb.account_id from proposal p, lateral (select account_id from membership where organisation_id = p.organisation_id order by account_id limit 1) mb
       where p.id = m.proposal_id and m.author_id = md5('ap0')::uuid and p.organisation_id <> ${HOT_ORG_SQL}`,
    );

    // Protection (アイデア保護): requests on about a tenth of the proposals' content fields and on proposers' messages.
    await step(
      'protection_request (fields)',
      `insert into protection_request (id, proposal_id, item_kind, field_name, reason, requested_by, requested_at, state, decided_by, decided_at, decision_reason, version)
       select md5('pr' || p.id)::uuid, p.id, 'FIELD', (array['content','ownResources','schedule'])[1 + ${h('hashtext(p.id::text)', 65, 3)}], '独自のノウハウを含むため',
              p.created_by, p.submitted_at, (array['REQUESTED','AGREED','AGREED','DECLINED'])[1 + ${h('hashtext(p.id::text)', 67, 4)}]::protection_state,
              md5('ad1')::uuid, p.submitted_at + interval '4 days', '確認しました', 1
       from proposal p where p.submitted_at is not null and ${h('hashtext(p.id::text)', 69, 10)} = 0`,
    );
    await db.query(`update protection_request set decided_by = null, decided_at = null, decision_reason = null where state = 'REQUESTED'`);
    await step(
      'protection_request (messages)',
      `insert into protection_request (id, proposal_id, item_kind, message_id, reason, requested_by, requested_at, state, decided_by, decided_at, decision_reason, version)
       select md5('prm' || m.id)::uuid, m.proposal_id, 'MESSAGE', m.id, '提案者の独自案のため', m.author_id, m.created_at, st,
              case when st <> 'REQUESTED' then md5('ad1')::uuid end, case when st <> 'REQUESTED' then m.created_at + interval '2 days' end,
              case when st = 'DECLINED' then '一般的な内容のため' when st = 'AGREED' then '確認しました' end, 1
       from message m join thread t on t.id = m.thread_id and t.audience = 'SHARED' join account a on a.id = m.author_id and a.role = 'PROPOSER',
            lateral (select (array['REQUESTED','AGREED','AGREED','DECLINED'])[1 + ${h('hashtext(m.id::text)', 71, 4)}]::protection_state as st) x
       where ${h('hashtext(m.id::text)', 73, 16)} = 0`,
    );
    // (Only proposers ask for protection: about one in sixteen of their SHARED messages, some 3 % of all SHARED ones.)

    for (const def of gin) await step(`index ${def.def.split('"')[1] ?? def.def.split(' ')[2]}`, def.def);
    await db.query('set session_replication_role = origin');
    // ANALYZE evaluates the expression indexes on a sample too: still with the fast body.
    await step('vacuum analyze', 'vacuum analyze');
    await db.query(original[0]!.def);
    // The swap must not have changed a single index entry: compare on a deterministic sample.
    const { rows: [diff] } = await db.query<{ n: string }>(
      `select count(*)::text as n from (select body from message where ${h('hashtext(id::text)', 75, 50)} = 0 limit 2000) m
        where (select coalesce(array_agg(x order by x), '{}') from unnest(bench_fast_bigrams(body)) x) is distinct from renkei_bigrams(body)`,
    );
    if (diff!.n !== '0') throw new Error(`bench_fast_bigrams differs from renkei_bigrams on ${diff!.n} sampled messages`);
    await db.query('drop function bench_fast_bigrams(text)');
    const seconds = (performance.now() - started) / 1000;
    await db.query(`comment on database ${name} is '${marker}'`);
    log(`[generate] ${name} generated in ${seconds.toFixed(1)} s`);
    return seconds;
  } finally {
    await db.end();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const args = process.argv.slice(2);
  const scaleArg = args.indexOf('--scale');
  const scale = scaleArg >= 0 ? Number(args[scaleArg + 1]) : 1;
  if (!(scale > 0 && scale <= 1)) throw new Error('--scale must be in (0, 1]');
  const server = await benchServer(console.log);
  try {
    await generate(server.adminUrl, scale, { force: args.includes('--force') });
  } finally {
    await server.stop();
  }
}
