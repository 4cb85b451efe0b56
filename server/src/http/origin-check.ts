import type { RequestHandler } from 'express';
import type { Config } from '../config/env.js';

/**
 * Whether a browser request from `origin` may change things or open a websocket here: the
 * server's own origin (the Host it was reached at), PUBLIC_BASE_URL's, or one in ALLOWED_ORIGINS.
 * Browsers always send Origin on websocket upgrades and cross-site posts, so a request without
 * one is not a browser acting for another site (curl, the tests, server-to-server) and passes.
 */
export function originAllowed(origin: string | undefined, host: string | undefined, config: Pick<Config, 'publicBaseUrl' | 'allowedOrigins'>): boolean {
  if (origin === undefined) return true;
  let url: URL;
  try {
    url = new URL(origin);
  } catch {
    return false; // "null" (sandboxed frames, file:) and anything unreadable
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return false;
  if (host !== undefined && url.host === host.toLowerCase()) return true;
  return url.origin === new URL(config.publicBaseUrl).origin || config.allowedOrigins.includes(url.origin);
}

/** Refuses state-changing HTTP requests (anything but GET, HEAD, OPTIONS) from a foreign origin. */
export function refuseForeignOrigins(config: Config): RequestHandler {
  return (req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD' || req.method === 'OPTIONS') return next();
    if (originAllowed(req.headers.origin, req.headers.host, config)) return next();
    res.status(403).json({ errors: [{ message: 'Requests from this origin are not accepted', extensions: { code: 'FORBIDDEN_ORIGIN' } }] });
  };
}
