import { escapeMarkup } from './markup.js';
import { SITE_NAME } from './portal-pages.js';
import type { PublicCaseView } from './public-case.types.js';

interface Dated {
  id: string;
  updatedAt: Date;
}

/** sitemap.xml: the portal's fixed pages, each public challenge and each published case, as absolute URLs. */
export function sitemap(base: string, challenges: Dated[], cases: Dated[]): string {
  const url = (path: string, updatedAt?: Date): string =>
    `  <url><loc>${escapeMarkup(`${base}${path}`)}</loc>${updatedAt ? `<lastmod>${updatedAt.toISOString()}</lastmod>` : ''}</url>`;
  const lines = [
    url('/'),
    url('/challenges'),
    ...challenges.map((challenge) => url(`/challenges/${encodeURIComponent(challenge.id)}`, challenge.updatedAt)),
    url('/cases'),
    ...cases.map((item) => url(`/cases/${encodeURIComponent(item.id)}`, item.updatedAt)),
    url('/figures'),
  ];
  return `<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n${lines.join('\n')}\n</urlset>\n`;
}

/** The Atom 1.0 feed of new cases, newest first: title, summary, link and dates of each. */
export function casesFeed(base: string, cases: PublicCaseView[]): string {
  const feedUrl = `${base}/feeds/cases.atom`;
  const updated = cases.reduce((latest, item) => (item.publishedAt > latest ? item.publishedAt : latest), new Date(0));
  const entries = cases.map((item) => {
    const link = `${base}/cases/${encodeURIComponent(item.id)}`;
    return [
      '  <entry>',
      `    <id>${escapeMarkup(link)}</id>`,
      `    <title>${escapeMarkup(item.content.title)}</title>`,
      `    <link rel="alternate" type="text/html" href="${escapeMarkup(link)}"/>`,
      `    <published>${item.firstPublishedAt.toISOString()}</published>`,
      `    <updated>${item.publishedAt.toISOString()}</updated>`,
      `    <author><name>${escapeMarkup(item.content.organisationName)}</name></author>`,
      `    <summary type="text">${escapeMarkup(item.content.summary)}</summary>`,
      '  </entry>',
    ].join('\n');
  });
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja">',
    `  <id>${escapeMarkup(feedUrl)}</id>`,
    `  <title>${escapeMarkup(`${SITE_NAME} 公民連携の事例`)}</title>`,
    `  <link rel="self" type="application/atom+xml" href="${escapeMarkup(feedUrl)}"/>`,
    `  <link rel="alternate" type="text/html" href="${escapeMarkup(`${base}/cases`)}"/>`,
    `  <updated>${updated.toISOString()}</updated>`,
    `  <author><name>${escapeMarkup(SITE_NAME)}</name></author>`,
    ...entries,
    '</feed>',
    '',
  ].join('\n');
}
