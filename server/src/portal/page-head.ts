import fs from 'node:fs/promises';
import type { RequestHandler } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from '../logging/logger.js';
import { escapeMarkup, shortLine } from './markup.js';
import { pageHeadFor, SITE_NAME, type PageHead } from './portal-pages.js';

/** The tags a page's head carries for crawlers and share cards; every value escaped. */
export function headTags(head: PageHead, baseUrl: string): string {
  const url = escapeMarkup(`${baseUrl}${head.path}`);
  const title = escapeMarkup(head.title);
  const description = escapeMarkup(shortLine(head.description));
  return [
    `<title>${title}</title>`,
    `<meta name="description" content="${description}" />`,
    `<link rel="canonical" href="${url}" />`,
    `<link rel="alternate" type="application/atom+xml" title="${escapeMarkup(`${SITE_NAME} 新着事例`)}" href="${escapeMarkup(`${baseUrl}/feeds/cases.atom`)}" />`,
    `<meta property="og:title" content="${title}" />`,
    `<meta property="og:description" content="${description}" />`,
    `<meta property="og:url" content="${url}" />`,
    `<meta property="og:type" content="${head.type}" />`,
    `<meta property="og:site_name" content="${escapeMarkup(SITE_NAME)}" />`,
    `<meta property="og:locale" content="ja_JP" />`,
    `<meta property="og:locale:alternate" content="en_US" />`,
    `<meta name="twitter:card" content="summary" />`,
    `<meta name="twitter:title" content="${title}" />`,
    `<meta name="twitter:description" content="${description}" />`,
  ].join('\n    ');
}

/** index.html with the built title and description taken out and `tags` put before </head>. */
export function withHead(html: string, tags: string): string {
  const bare = html.replace(/<title>[\s\S]*?<\/title>\s*/i, '').replace(/<meta\s+name="description"[^>]*>\s*/i, '');
  // A function replacement: `$` in a title must not be read as a replacement pattern.
  return bare.replace(/<\/head>/i, () => `  ${tags}\n  </head>`);
}

/**
 * The SPA fallback: sends index.html, with the page's own head for the public portal pages
 * (only published content; unknown or unpublished ids get the list's generic head).
 */
export function portalPageHandler(deps: { orm: MikroORM; logger: Logger; indexPath: string; publicBaseUrl: string }): RequestHandler {
  let template: Promise<string> | null = null;
  return async (req, res, next) => {
    try {
      template ??= fs.readFile(deps.indexPath, 'utf8');
      const html = await template;
      const head = await pageHeadFor(deps.orm.em.fork(), req.path);
      res.setHeader('Cache-Control', 'no-cache');
      res.type('html').send(head ? withHead(html, headTags(head, deps.publicBaseUrl)) : html);
    } catch (error) {
      template = null;
      deps.logger.error({ err: error, requestId: res.locals.requestId }, 'portal page failed');
      next(error);
    }
  };
}
