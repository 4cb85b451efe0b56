import { describe, expect, it } from 'vitest';
import { FieldErrors, InputError } from '../errors/domain-errors.js';
import { cleanMessageBody, cleanThreadTitle, THREAD_LIMITS } from './thread.validation.js';

function codes(run: (errors: FieldErrors) => void): string[] {
  const errors = new FieldErrors();
  run(errors);
  try {
    errors.throwIfAny();
    return [];
  } catch (error) {
    return (error as InputError).fields.map((f) => `${f.field}:${f.code}`);
  }
}

describe('cleanThreadTitle', () => {
  it('is one trimmed line', () => {
    expect(cleanThreadTitle('  講座の\n会場  ', new FieldErrors())).toBe('講座の 会場');
  });
  it('is required and at most 200 characters (code points)', () => {
    expect(codes((e) => cleanThreadTitle(' \n ', e))).toEqual(['title:REQUIRED']);
    expect(codes((e) => cleanThreadTitle(null, e))).toEqual(['title:REQUIRED']);
    expect(codes((e) => cleanThreadTitle('𠮷'.repeat(THREAD_LIMITS.title), e))).toEqual([]);
    expect(codes((e) => cleanThreadTitle('あ'.repeat(THREAD_LIMITS.title + 1), e))).toEqual(['title:TOO_LONG']);
  });
});

describe('cleanMessageBody', () => {
  it('keeps line breaks inside, trims the end, normalises CRLF', () => {
    expect(cleanMessageBody('\n\n一行目\r\n\r\n  二行目  \n\n', new FieldErrors()).body).toBe('一行目\n\n  二行目');
  });
  it('is required', () => {
    expect(codes((e) => cleanMessageBody('   \n\t', e))).toEqual(['body:REQUIRED']);
    expect(codes((e) => cleanMessageBody(undefined, e))).toEqual(['body:REQUIRED']);
  });
  it('is at most 20 000 characters: a 100 kB message is TOO_LONG', () => {
    expect(codes((e) => cleanMessageBody('あ'.repeat(THREAD_LIMITS.body), e))).toEqual([]);
    expect(codes((e) => cleanMessageBody('あ'.repeat(THREAD_LIMITS.body + 1), e))).toEqual(['body:TOO_LONG']);
    expect(codes((e) => cleanMessageBody('x'.repeat(100 * 1024), e))).toEqual(['body:TOO_LONG']);
  });
  it('finds the mentions, each once', () => {
    const id = '6f1c2b1e-8a4d-4c7e-9b3a-2d5e6f7a8b9c';
    expect(cleanMessageBody(`@[A](account:${id}) と @[A](account:${id})`, new FieldErrors()).mentionIds).toEqual([id]);
  });
  it('refuses more than 50 people mentioned at once', () => {
    const many = Array.from({ length: 51 }, (_, i) => `@[p${i}](account:00000000-0000-4000-8000-${String(i).padStart(12, '0')})`).join(' ');
    expect(codes((e) => cleanMessageBody(many, e))).toEqual(['mentions:TOO_LONG']);
  });
});
