import { pipeline } from 'node:stream/promises';
import express, { type Response, type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { Logger } from '../logging/logger.js';
import { isUuid } from '../shared/uuid.js';
import type { AttachmentStorage } from '../attachments/attachment-storage.js';
import { contentDisposition } from '../attachments/attachment.validation.js';
import type { PublishedCaseContent } from '../publication/public-case.entity.js';
import { latestPublicCases, PUBLISHED } from './public-case.reads.js';
import { publishedAttachmentIds } from './public-case.view.js';
import { casesFeed, sitemap } from './portal-documents.js';
import { PUBLIC_CHALLENGE } from './portal-pages.js';

/** How many cases the Atom feed carries. */
export const FEED_SIZE = 20;

/**
 * The portal's routes outside GraphQL, all public and all reading published content only:
 * the sitemap, robots.txt, the Atom feed of new cases, and the files placed on a published case.
 */
export function portalRoutes(deps: { orm: MikroORM; config: Config; logger: Logger; storage: AttachmentStorage }): Router {
  const { orm, config, logger, storage } = deps;
  const router = express.Router();
  const base = config.publicBaseUrl;

  function failed(res: Response, error: unknown, what: string): void {
    logger.error({ err: error, requestId: res.locals.requestId }, `${what} failed`);
    if (!res.headersSent) res.status(500).type('text/plain').send('Internal server error');
  }

  router.get('/robots.txt', (_req, res) => {
    res.type('text/plain').send(`User-agent: *\nDisallow: /desk/\nDisallow: /section/\nDisallow: /proposer/\nDisallow: /api/\nAllow: /api/public/\n\nSitemap: ${base}/sitemap.xml\n`);
  });

  router.get('/sitemap.xml', async (_req, res) => {
    try {
      const em = orm.em.fork();
      const challenges = await em.execute<Array<{ id: string; updated_at: Date }>>(`select id, updated_at from challenge where ${PUBLIC_CHALLENGE} order by published_at desc`);
      const cases = await em.execute<Array<{ id: string; published_at: Date }>>(`select id, published_at from public_case where ${PUBLISHED} order by first_published_at desc`);
      // Revalidated on every use: a withdrawn case must leave shared caches at once.
      res.setHeader('Cache-Control', 'no-cache');
      res.type('application/xml').send(sitemap(base, challenges.map((row) => ({ id: row.id, updatedAt: new Date(row.updated_at) })), cases.map((row) => ({ id: row.id, updatedAt: new Date(row.published_at) }))));
    } catch (error) {
      failed(res, error, 'sitemap');
    }
  });

  router.get('/feeds/cases.atom', async (_req, res) => {
    try {
      const cases = await latestPublicCases(orm.em.fork(), FEED_SIZE);
      // Revalidated on every use: a withdrawn case must leave shared caches at once.
      res.setHeader('Cache-Control', 'no-cache');
      res.type('application/atom+xml').send(casesFeed(base, cases));
    } catch (error) {
      failed(res, error, 'case feed');
    }
  });

  // A photo or file of a published case: only one its snapshot places, else the same 404 as a missing one.
  router.get('/api/public/cases/:caseId/files/:attachmentId', async (req, res) => {
    const notFound = (): void => void res.status(404).json({ errors: [{ message: 'Not found', extensions: { code: 'NOT_FOUND' } }] });
    // Withdrawal must take effect at once: revalidated on every use.
    res.setHeader('Cache-Control', 'no-cache');
    try {
      const caseId = String(req.params.caseId);
      const attachmentId = String(req.params.attachmentId);
      if (!isUuid(caseId) || !isUuid(attachmentId)) return notFound();
      const em = orm.em.fork();
      const [row] = await em.execute<Array<{ published_content: PublishedCaseContent; proposal_id: string }>>(
        `select published_content, proposal_id from public_case where id = ? and ${PUBLISHED}`,
        [caseId],
      );
      if (!row || !publishedAttachmentIds(row.published_content).has(attachmentId)) return notFound();
      // The file must still be the case's own proposal's, and not deleted.
      const [file] = await em.execute<Array<{ storage_key: string; media_type: string; size_bytes: number; file_name: string }>>(
        'select storage_key, media_type, size_bytes, file_name from attachment where id = ? and proposal_id = ? and deleted_at is null',
        [attachmentId, row.proposal_id],
      );
      if (!file) return notFound();
      const stream = await storage.open(file.storage_key);
      res.setHeader('Content-Type', file.media_type);
      res.setHeader('Content-Length', String(file.size_bytes));
      // Photos show in the page; other files download.
      res.setHeader('Content-Disposition', file.media_type.startsWith('image/') ? contentDisposition(file.file_name).replace(/^attachment/, 'inline') : contentDisposition(file.file_name));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cross-Origin-Resource-Policy', 'same-site');
      await pipeline(stream, res).catch((error: unknown) => {
        if (!res.writableEnded) logger.warn({ err: error, attachmentId }, 'public case file interrupted');
      });
    } catch (error) {
      failed(res, error, 'public case file');
    }
  });

  return router;
}
