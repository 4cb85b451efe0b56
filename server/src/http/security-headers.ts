import type { RequestHandler } from 'express';

/** A Host header we are willing to repeat inside a header (anything else is left out). */
const PLAIN_HOST = /^[a-z0-9.-]+(:\d{1,5})?$|^\[[0-9a-f:.]+\](:\d{1,5})?$/i;

/**
 * The client's Content-Security-Policy: scripts only from our own files (the built client has no
 * inline script), no plugins, no framing, connections only back to us (the websocket named by
 * host, as older browsers do not count ws: as 'self'). Inline style attributes stay allowed: Vue
 * renders static markup with them, and a style cannot run code.
 */
export function contentSecurityPolicy(host: string | undefined): string {
  const sockets = host && PLAIN_HOST.test(host) ? ` ws://${host} wss://${host}` : '';
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${sockets}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Headers on every response. API answers (/graphql, /api/) are never stored by a cache unless
 * their route says otherwise (public files set their own). /graphql has no CSP: in development it
 * serves Apollo's landing page, which loads its own scripts; its answers are JSON, never a page.
 */
export function securityHeaders(): RequestHandler {
  return (req, res, next) => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    res.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
    const api = req.path === '/graphql' || req.path.startsWith('/api/');
    if (api) res.setHeader('Cache-Control', 'no-store');
    if (req.path !== '/graphql') res.setHeader('Content-Security-Policy', contentSecurityPolicy(req.headers.host));
    next();
  };
}
