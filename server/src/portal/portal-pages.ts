import type { EntityManager } from '@mikro-orm/postgresql';
import { isUuid } from '../shared/uuid.js';
import { PUBLISHED } from './public-case.reads.js';
import type { PublishedCaseContent } from '../publication/public-case.entity.js';

/** The portal's fixed words for crawlers and share cards: Japanese first, as the portal is. */
export const SITE_NAME = '板橋区 公民連携デスク';
export const SITE_DESCRIPTION = '板橋区 公民連携デスク — 行政課題の共有と提案の受付、公民連携の事例と実績';

/** A public page's head: what crawlers and share cards read. */
export interface PageHead {
  title: string;
  description: string;
  /** Path from the site root, e.g. /cases/…; becomes the canonical and og:url. */
  path: string;
  type: 'website' | 'article';
}

const GENERIC: Record<string, Omit<PageHead, 'path'>> = {
  '/': { title: SITE_NAME, description: SITE_DESCRIPTION, type: 'website' },
  '/challenges': { title: `募集中の行政課題 | ${SITE_NAME}`, description: '板橋区が民間からの提案を募集している行政課題（テーマ）の一覧です。', type: 'website' },
  '/cases': { title: `公民連携の事例 | ${SITE_NAME}`, description: '板橋区と企業・大学・NPOなどが実現した公民連携の事例と実施報告です。', type: 'website' },
  '/figures': { title: `実績（年度別） | ${SITE_NAME}`, description: '公民連携デスクの年度別の実績：提案の受付、対話、実現の件数と分野別の内訳、区が支出せずに済んだ額。', type: 'website' },
};

/** A published, public challenge (OPEN or CLOSED, not a draft), by the challenges' own public rule. */
export const PUBLIC_CHALLENGE = `published_at is not null and status in ('OPEN', 'CLOSED')`;

/**
 * The head of a portal page, or null for a path that is not a public portal page. An id that is
 * unknown, a draft or withdrawn gets the list's generic head: nothing of it is read.
 */
export async function pageHeadFor(em: EntityManager, pathname: string): Promise<PageHead | null> {
  const path = pathname.length > 1 ? pathname.replace(/\/+$/, '') : pathname;
  const generic = GENERIC[path];
  if (generic) return { ...generic, path };
  const match = /^\/(challenges|cases)\/([^/]+)$/.exec(path);
  if (!match) return null;
  const [, list, id] = match as unknown as [string, 'challenges' | 'cases', string];
  const fallback = { ...GENERIC[`/${list}`]!, path: `/${list}` };
  if (!isUuid(id)) return fallback;
  if (list === 'cases') {
    const [row] = await em.execute<Array<{ published_content: PublishedCaseContent }>>(`select published_content from public_case where id = ? and ${PUBLISHED}`, [id]);
    if (!row) return fallback;
    const content = row.published_content;
    return { title: `${content.title} | ${SITE_NAME}`, description: content.summary || `${content.organisationName}と板橋区の公民連携の事例`, path, type: 'article' };
  }
  const [row] = await em.execute<Array<{ title: string; description: string }>>(`select title, description from challenge where id = ? and ${PUBLIC_CHALLENGE}`, [id]);
  if (!row) return fallback;
  return { title: `${row.title} | ${SITE_NAME}`, description: row.description, path, type: 'article' };
}
