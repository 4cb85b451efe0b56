import { pino, stdSerializers, type DestinationStream, type Logger } from 'pino';

export type { Logger };

// PostgreSQL puts row values into an error's detail ("Key (name)=(…) already exists", "Failing row
// contains (…)"), and MikroORM copies the detail into the message. Row values can be a proposer's
// protected content, which must never reach a log.
const ROW_VALUE_FIELDS = ['detail', 'where', 'internalQuery', 'parameters', 'params', 'sql', 'query'];

function stripRowValues(text: string): string {
  return text.replace(/\n - detail:[\s\S]*?(?=\n\s+at |$)/, '\n - detail: [redacted]');
}

/** pino's error serializer without anything that can carry row values. */
export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  const serialized = stdSerializers.err(error) as unknown as Record<string, unknown>;
  for (const field of ROW_VALUE_FIELDS) delete serialized[field];
  if (typeof serialized.message === 'string') serialized.message = stripRowValues(serialized.message);
  if (typeof serialized.stack === 'string') serialized.stack = stripRowValues(serialized.stack);
  return serialized;
}

/** Structured JSON logs. Secrets (cookies, passwords) and database row values are redacted wherever they appear. */
export function createLogger(level: string, destination?: DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level,
    base: { service: 'renkei' },
    serializers: { err: serializeError },
    redact: {
      paths: ['req.headers.cookie', 'headers.cookie', 'password', '*.password', 'variables.password', 'variables.input.password', 'currentPassword', 'newPassword', '*.currentPassword', '*.newPassword', 'variables.currentPassword', 'variables.newPassword'],
      censor: '[redacted]',
    },
  };
  // A destination only in tests that read the log (the leak canary); stdout otherwise.
  return destination ? pino(options, destination) : pino(options);
}
