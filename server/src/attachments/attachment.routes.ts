import type { IncomingMessage } from 'node:http';
import { pipeline } from 'node:stream/promises';
import express, { type Request, type Response, type Router } from 'express';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../config/env.js';
import { DomainError, ForbiddenError, NotFoundError } from '../errors/domain-errors.js';
import { SESSION_COOKIE, viewerForToken } from '../identity/session.service.js';
import type { Viewer } from '../identity/viewer.js';
import type { Logger } from '../logging/logger.js';
import { readCookie } from '../http/cookies.js';
import { checkCanFileAgreementDocument, fileAgreementDocument } from '../partnerships/agreement-document.service.js';
import { addReportPhoto, checkCanAddReportPhoto } from '../reports/report-photo.service.js';
import { addMessageAttachment, checkCanUploadForNewThread, checkCanUploadToThread } from '../threads/message-attachment.service.js';
import { StorageKeyNotFound, type AttachmentStorage } from './attachment-storage.js';
import type { Attachment } from './attachment.entity.js';
import { addAttachment, AttachmentInputError, checkCanUpload, findDownloadableAttachment } from './attachment.service.js';
import { contentDisposition, MAX_ATTACHMENT_BYTES, parseFileNameHeader } from './attachment.validation.js';

/** A header a cross-site form or other "simple request" cannot set: the upload's CSRF guard. */
export const CSRF_HEADER = 'x-renkei-request';

const STATUS: Record<string, number> = { BAD_USER_INPUT: 400, UNAUTHENTICATED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409 };

export interface AttachmentRouteDeps {
  orm: MikroORM;
  config: Config;
  logger: Logger;
  storage: AttachmentStorage;
  /** Largest accepted body; tests may lower it. */
  maxBytes?: number;
}

type BodyRead = { ok: true; bytes: Buffer } | { ok: false; why: 'TOO_LARGE' | 'ABORTED' };

/**
 * Reads the request body up to `limit` bytes. A declared Content-Length over the limit is refused
 * before reading anything; a longer body than declared (or a chunked one) stops being read as
 * soon as it passes the limit.
 */
export function readBodyWithin(req: IncomingMessage, limit: number): Promise<BodyRead> {
  // Nothing is buffered past the limit; what the client sends after it is discarded briefly (lingerThenClose).
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ ok: false, why: 'TOO_LARGE' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: BodyRead): void => {
      if (done) return;
      done = true;
      req.off('data', onData);
      resolve(result);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size > limit) return finish({ ok: false, why: 'TOO_LARGE' });
      chunks.push(chunk);
    };
    req.on('data', onData);
    req.once('end', () => finish({ ok: true, bytes: Buffer.concat(chunks, size) }));
    req.once('aborted', () => finish({ ok: false, why: 'ABORTED' }));
    req.once('error', () => finish({ ok: false, why: 'ABORTED' }));
  });
}

/** How much of an unread body is still discarded after an early answer, so the client gets to read it. */
const LINGER_BYTES = 4 * 1024 * 1024;
const LINGER_MS = 2000;

/**
 * After answering a request whose body was not read (refused before or while reading), keep
 * discarding what the client still sends for a moment, then close the connection. Closing at
 * once would make the kernel reset the connection with the answer possibly unread by the client
 * (the "lingering close" of nginx and Apache); discarding is bounded, so the rest is never read.
 */
function lingerThenClose(req: IncomingMessage): void {
  if (req.complete) return;
  let discarded = 0;
  const close = (): void => {
    clearTimeout(timer);
    req.off('data', discard);
    req.socket.destroy();
  };
  const discard = (chunk: Buffer): void => {
    discarded += chunk.length;
    if (discarded > LINGER_BYTES) close();
  };
  const timer = setTimeout(close, LINGER_MS);
  timer.unref();
  req.on('data', discard);
  req.once('end', () => clearTimeout(timer));
  req.resume();
}

function sendError(req: Request, res: Response, status: number, message: string, extensions: Record<string, unknown>): void {
  if (res.headersSent) return;
  res.status(status).json({ errors: [{ message, extensions }] });
  lingerThenClose(req);
}

/** The file routes beside /graphql: upload and download of proposal attachments, signed agreement documents and files on messages. */
export function attachmentRoutes(deps: AttachmentRouteDeps): Router {
  const { orm, config, logger, storage } = deps;
  const maxBytes = deps.maxBytes ?? MAX_ATTACHMENT_BYTES;
  const router = express.Router();

  async function viewerOf(req: Request): Promise<Viewer> {
    return viewerForToken(orm.em.fork(), readCookie(req.headers.cookie, SESSION_COOKIE), config);
  }

  function fail(req: Request, res: Response, error: unknown): void {
    if (error instanceof DomainError) {
      const code = String(error.extensions.code);
      const status = error instanceof AttachmentInputError && error.fieldCode === 'TOO_MANY' ? 409 : (STATUS[code] ?? 400);
      sendError(req, res, status, error.message, { ...error.extensions });
      return;
    }
    const requestId = res.locals.requestId as string | undefined;
    logger.error({ err: error, requestId }, 'attachment request failed');
    sendError(req, res, 500, 'Internal server error', { code: 'INTERNAL_SERVER_ERROR', requestId });
  }

  /**
   * One upload route: the CSRF header, `check` (who may, before a byte of the body is read), the
   * name, the body within the limit, then `store`. Answers 201 with the stored file.
   */
  function uploadRoute(
    check: (viewer: Viewer, ownerId: string) => Promise<void>,
    store: (viewer: Viewer, ownerId: string, fileName: string, bytes: Buffer) => Promise<Attachment>,
    // The route parameter naming what the file goes to: a proposal, or a thread.
    param: 'proposalId' | 'threadId' | 'reportId' = 'proposalId',
  ) {
    return async (req: Request, res: Response): Promise<void> => {
      res.setHeader('Cache-Control', 'no-store');
      try {
        if (req.headers[CSRF_HEADER] !== '1') throw new ForbiddenError(`Send the header X-Renkei-Request: 1`);
        const viewer = await viewerOf(req);
        const ownerId = String(req.params[param]);
        await check(viewer, ownerId);
        const name = parseFileNameHeader(req.headers['x-file-name']);
        if (!name.ok) throw new AttachmentInputError(name.code, name.message);
        const body = await readBodyWithin(req, maxBytes);
        if (!body.ok) {
          if (body.why === 'ABORTED') return;
          const megabytes = Math.floor(maxBytes / (1024 * 1024));
          sendError(req, res, 413, `Invalid input: file (TOO_LONG)`, { code: 'BAD_USER_INPUT', fields: [{ field: 'file', code: 'TOO_LONG', message: `At most ${megabytes} MB per file` }] });
          return;
        }
        const attachment = await store(viewer, ownerId, name.fileName, body.bytes);
        res.status(201).json({
          attachment: { id: attachment.id, fileName: attachment.fileName, mediaType: attachment.mediaType, sizeBytes: attachment.sizeBytes, uploadedAt: attachment.uploadedAt.toISOString() },
        });
      } catch (error) {
        fail(req, res, error);
      }
    };
  }

  // The proposer's material (a draft's attachments).
  router.post(
    '/api/proposals/:proposalId/attachments',
    uploadRoute(
      (viewer, proposalId) => checkCanUpload(orm.em.fork(), viewer, proposalId),
      (viewer, proposalId, fileName, bytes) => addAttachment(orm.em.fork(), storage, viewer, proposalId, fileName, bytes),
    ),
  );

  // The signed 協定書・契約書 (PDF) the desk files on the agreement record.
  router.post(
    '/api/proposals/:proposalId/agreement-document',
    uploadRoute(
      (viewer, proposalId) => checkCanFileAgreementDocument(orm.em.fork(), viewer, proposalId),
      (viewer, proposalId, fileName, bytes) => fileAgreementDocument(orm.em.fork(), storage, viewer, proposalId, fileName, bytes),
    ),
  );

  // A file for a message being written in a thread: whoever may post there; unlinked (its uploader's
  // alone) until postMessage names it. The same CSRF header, name, limit and type rules.
  router.post(
    '/api/threads/:threadId/attachments',
    uploadRoute(
      (viewer, threadId) => checkCanUploadToThread(orm.em.fork(), viewer, threadId),
      (viewer, threadId, fileName, bytes) => addMessageAttachment(orm.em.fork(), storage, viewer, { kind: 'thread', threadId }, fileName, bytes),
      'threadId',
    ),
  );

  // The same for the first message of a thread not yet started (startThread's input.attachmentIds).
  router.post(
    '/api/proposals/:proposalId/thread-attachments',
    uploadRoute(
      (viewer, proposalId) => checkCanUploadForNewThread(orm.em.fork(), viewer, proposalId),
      (viewer, proposalId, fileName, bytes) => addMessageAttachment(orm.em.fork(), storage, viewer, { kind: 'newThread', proposalId }, fileName, bytes),
    ),
  );

  // A photo in an implementation report (実施報告書): PNG or JPEG, the lead section while the report is editable.
  router.post(
    '/api/reports/:reportId/photos',
    uploadRoute(
      (viewer, reportId) => checkCanAddReportPhoto(orm.em.fork(), viewer, reportId),
      (viewer, reportId, fileName, bytes) => addReportPhoto(orm.em.fork(), storage, viewer, reportId, fileName, bytes),
      'reportId',
    ),
  );

  router.get('/api/attachments/:id', async (req, res) => {
    res.setHeader('Cache-Control', 'private, no-store');
    try {
      const viewer = await viewerOf(req);
      const attachment = await findDownloadableAttachment(orm.em.fork(), viewer, String(req.params.id));
      if (!attachment) throw new NotFoundError('Attachment');
      const stream = await storage.open(attachment.storageKey).catch((error: unknown) => {
        // The row says it exists but the bytes are gone: an operator problem, not the caller's.
        if (error instanceof StorageKeyNotFound) logger.error({ attachmentId: attachment.id }, 'attachment bytes missing from storage');
        throw error;
      });
      res.setHeader('Content-Type', attachment.mediaType);
      res.setHeader('Content-Length', String(attachment.sizeBytes));
      res.setHeader('Content-Disposition', contentDisposition(attachment.fileName));
      res.setHeader('X-Content-Type-Options', 'nosniff');
      // Opened in the browser by mistake, it still runs nothing.
      res.setHeader('Content-Security-Policy', "default-src 'none'; sandbox");
      res.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
      await pipeline(stream, res).catch((error: unknown) => {
        if (!res.writableEnded) logger.warn({ err: error, attachmentId: attachment.id }, 'attachment download interrupted');
      });
    } catch (error) {
      fail(req, res, error);
    }
  });

  return router;
}
