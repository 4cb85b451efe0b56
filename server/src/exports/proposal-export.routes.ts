import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import { DomainError } from '../errors/domain-errors.js';
import { readCookie } from '../http/cookies.js';
import { SESSION_COOKIE, viewerForToken } from '../identity/session.service.js';
import { isDesk } from '../identity/viewer.js';
import type { Logger } from '../logging/logger.js';
import { attachmentDisposition } from '../shared/csv.js';
import { parseExportRequest } from './proposal-export.request.js';
import { exportProposals } from './proposal-export.service.js';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

export const PROPOSAL_EXPORT_PATH = '/api/desk/proposals/export.csv';

/**
 * The desk's proposal export (GET /api/desk/proposals/export.csv?columns=a,b&includeProtected=true
 * &states=…&kind=…&challengeId=…&fieldCode=…&organisationKind=…&overTarget=…&order=…).
 * Anyone but the desk falls through to the ordinary 404, exactly as if the route did not exist:
 * checked before the query is read, so not even a 400 tells them it is there.
 */
export function proposalExportRoutes(deps: { orm: MikroORM; config: Config; logger: Logger }): Router {
  const { orm, config, logger } = deps;
  const router = express.Router();

  router.get(PROPOSAL_EXPORT_PATH, async (req: Request, res: Response, next: NextFunction) => {
    try {
      const viewer = await viewerForToken(orm.em.fork(), readCookie(req.headers.cookie, SESSION_COOKIE), config);
      if (!isDesk(viewer)) {
        next();
        return;
      }
      res.setHeader('Cache-Control', 'no-store');
      const request = parseExportRequest(req.query as Record<string, unknown>);
      const { fileName, csv } = await exportProposals(orm.em.fork(), viewer, request);
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', attachmentDisposition(fileName));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.status(200).send(csv);
    } catch (error) {
      if (error instanceof DomainError) {
        const code = String(error.extensions.code);
        res.status(STATUS[code] ?? 400).json({ errors: [{ message: error.message, extensions: error.extensions }] });
        return;
      }
      // Logged by id and error only: never a proposal's content.
      const requestId = res.locals.requestId as string | undefined;
      logger.error({ err: error, requestId }, 'proposal export failed');
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
    }
  });

  return router;
}
