import express, { type Request, type Response, type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import { DomainError } from '../errors/domain-errors.js';
import { readCookie } from '../http/cookies.js';
import { SESSION_COOKIE, viewerForToken } from '../identity/session.service.js';
import type { Logger } from '../logging/logger.js';
import { exportProtectionRegister } from './protection.service.js';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

/** The protection register as CSV for the desk (GET /api/proposals/:proposalId/protection-register.csv). */
export function protectionRoutes(deps: { orm: MikroORM; config: Config; logger: Logger }): Router {
  const { orm, config, logger } = deps;
  const router = express.Router();

  router.get('/api/proposals/:proposalId/protection-register.csv', async (req: Request, res: Response) => {
    res.setHeader('Cache-Control', 'private, no-store');
    try {
      const viewer = await viewerForToken(orm.em.fork(), readCookie(req.headers.cookie, SESSION_COOKIE), config);
      const { fileName, csv } = await exportProtectionRegister(orm.em.fork(), viewer, String(req.params.proposalId));
      res.setHeader('Content-Type', 'text/csv; charset=utf-8');
      res.setHeader('Content-Disposition', `attachment; filename="${fileName}"`);
      res.setHeader('X-Content-Type-Options', 'nosniff');
      res.status(200).send(csv);
    } catch (error) {
      if (error instanceof DomainError) {
        const code = String(error.extensions.code);
        res.status(STATUS[code] ?? 400).json({ errors: [{ message: error.message, extensions: { code } }] });
        return;
      }
      // Logged by id and error only: never the register's or the proposal's content.
      const requestId = res.locals.requestId as string | undefined;
      logger.error({ err: error, requestId, proposalId: String(req.params.proposalId) }, 'protection register export failed');
      res.status(500).json({ errors: [{ message: 'Internal server error', extensions: { code: 'INTERNAL_SERVER_ERROR', requestId } }] });
    }
  });

  return router;
}
