import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import express, { type Express, type RequestHandler } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import type { Logger } from '../logging/logger.js';
import { attachmentRoutes } from '../attachments/attachment.routes.js';
import { attachmentStorageFor } from '../attachments/local-disk-storage.js';
import { protectionRoutes } from '../protection/protection.routes.js';
import { proposalExportRoutes } from '../exports/proposal-export.routes.js';
import { portalRoutes } from '../portal/portal.routes.js';
import { portalPageHandler } from '../portal/page-head.js';
import { refuseForeignOrigins } from './origin-check.js';
import { securityHeaders } from './security-headers.js';

/** One operation per request: a JSON array (a batch) would multiply every per-request limit. */
const refuseBatches: RequestHandler = (req, res, next) => {
  if (!Array.isArray(req.body)) return next();
  res.status(400).json({ errors: [{ message: 'Batched requests are not accepted: send one operation per request', extensions: { code: 'BATCH_NOT_ALLOWED' } }] });
};

/**
 * The HTTP surface on one port: /healthz, /graphql (POST; the websocket upgrade is attached to
 * the same server), and the built client with history-mode fallback.
 */
export function createApp(deps: { config: Config; orm: MikroORM; logger: Logger; graphql: RequestHandler; isShuttingDown: () => boolean; databaseReachable: () => Promise<boolean> }): Express {
  const { config, orm, logger } = deps;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');

  app.use((req, res, next) => {
    const requestId = randomUUID();
    res.locals.requestId = requestId;
    res.setHeader('X-Request-Id', requestId);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      logger.info({ requestId, method: req.method, path: req.originalUrl.split('?')[0], status: res.statusCode, ms: Math.round(ms) }, 'request');
    });
    next();
  });
  app.use(securityHeaders());
  // Posts and uploads from another site's pages are refused (the websocket upgrade checks the same).
  app.use(refuseForeignOrigins(config));

  app.get('/healthz', async (_req, res) => {
    if (deps.isShuttingDown()) {
      res.status(503).json({ status: 'shutting-down' });
      return;
    }
    // Bounded (http/database-probe.ts): a database that hangs is answered as unavailable, not waited on.
    if (await deps.databaseReachable()) res.status(200).json({ status: 'ok' });
    else res.status(503).json({ status: 'database-unavailable' });
  });

  app.use('/graphql', express.json({ limit: '1mb' }), refuseBatches, deps.graphql);
  // Attachment upload and download: raw bodies, streamed with their own limit (not express.json).
  app.use(attachmentRoutes({ orm, config, logger, storage: attachmentStorageFor(config) }));
  // The protection register as CSV for the desk (情報公開請求への対応).
  app.use(protectionRoutes({ orm, config, logger }));
  // The desk's proposal CSV export, recorded in the audit trail.
  app.use(proposalExportRoutes({ orm, config, logger }));
  // The public portal: sitemap, robots.txt, the case feed and published cases' files.
  app.use(portalRoutes({ orm, config, logger, storage: attachmentStorageFor(config) }));

  const index = path.join(config.clientDist, 'index.html');
  if (fs.existsSync(index)) {
    app.use(express.static(config.clientDist, { index: false, maxAge: '1h' }));
    // index.html, with the portal pages' own title and share tags for crawlers.
    app.get(/^\/(?!graphql|healthz|api\/).*/, portalPageHandler({ orm, logger, indexPath: index, publicBaseUrl: config.publicBaseUrl }));
  } else {
    logger.warn({ clientDist: config.clientDist }, 'client not built: serving the API only');
  }
  // Malformed JSON and other failures before GraphQL: a coded answer, never a stack trace.
  app.use(((error, _req, res, _next) => {
    const status = typeof error?.status === 'number' && error.status >= 400 && error.status < 500 ? error.status : 500;
    if (status === 500) logger.error({ err: error, requestId: res.locals.requestId }, 'unexpected HTTP error');
    res.status(status).json({
      errors: [
        status === 500
          ? { message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId: res.locals.requestId } }
          : { message: 'The request could not be read', extensions: { code: 'BAD_REQUEST' } },
      ],
    });
  }) as express.ErrorRequestHandler);
  return app;
}
