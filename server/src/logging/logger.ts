import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs. Secrets (cookies, passwords) are redacted wherever they appear. */
export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'renkei' },
    redact: {
      paths: ['req.headers.cookie', 'headers.cookie', 'password', '*.password', 'variables.password', 'variables.input.password'],
      censor: '[redacted]',
    },
  });
}
