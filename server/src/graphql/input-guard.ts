import { FieldErrors } from '../errors/domain-errors.js';

function findNul(value: unknown, path: string, found: string[]): void {
  if (typeof value === 'string') {
    if (value.includes('\u0000')) found.push(path);
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => findNul(item, `${path}.${index}`, found));
  } else if (value && typeof value === 'object') {
    for (const [key, item] of Object.entries(value)) findNul(item, path ? `${path}.${key}` : key, found);
  }
}

/**
 * PostgreSQL text cannot hold U+0000; rather than fail deep in SQL, refuse it as input, by
 * field, on every operation (HTTP and websocket run the same field guards, field-guards.ts).
 */
export function rejectUnstorableText(args: Record<string, unknown>): void {
  const found: string[] = [];
  findNul(args, '', found);
  if (found.length === 0) return;
  const errors = new FieldErrors();
  for (const field of found) errors.add(field, 'INVALID', 'Text may not contain the NUL character');
  errors.throwIfAny();
}
