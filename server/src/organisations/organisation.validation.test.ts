import { describe, expect, it } from 'vitest';
import { FieldErrors, InputError } from '../errors/domain-errors.js';
import { OrganisationKind } from './organisation.entity.js';
import { ApplicantKind, type OrganisationRegistrationInput } from './organisation.types.js';
import { validateRegistration } from './organisation.validation.js';

const VALID: OrganisationRegistrationInput = {
  email: 'Taro@Example.JP',
  displayName: '山田 太郎',
  password: 'long enough password',
  name: '株式会社テスト',
  nameKana: 'カブシキガイシャ テスト',
  kind: ApplicantKind.COMPANY,
  corporateNumber: '7000012050002',
  address: '東京都板橋区板橋二丁目66番1号',
  representative: '代表 一郎',
  contactName: '担当 次郎',
  contactEmail: 'contact@example.jp',
  contactPhone: '03-3964-1111',
};

function problems(input: Partial<OrganisationRegistrationInput>): Record<string, string> {
  const errors = new FieldErrors();
  validateRegistration(errors, { ...VALID, ...input } as OrganisationRegistrationInput);
  try {
    errors.throwIfAny();
    return {};
  } catch (error) {
    return Object.fromEntries((error as InputError).fields.map((f) => [f.field, f.code]));
  }
}

describe('registration validation', () => {
  it('accepts a complete registration and cleans it', () => {
    const errors = new FieldErrors();
    const clean = validateRegistration(errors, { ...VALID, corporateNumber: '７０００－０１２０－５０００２', nameKana: 'ｶﾌﾞｼｷｶﾞｲｼｬ　テスト', contactPhone: '０３－３９６４－１１１１' });
    expect(errors.any).toBe(false);
    expect(clean.account.email).toBe('taro@example.jp');
    expect(clean.organisation).toMatchObject({ corporateNumber: '7000012050002', nameKana: 'カブシキガイシャ テスト', contactPhone: '03-3964-1111', kind: OrganisationKind.COMPANY });
  });

  // prettier-ignore
  const CASES: Array<[string, Partial<OrganisationRegistrationInput>, Record<string, string>]> = [
    ['an individual', { kind: ApplicantKind.INDIVIDUAL, corporateNumber: null }, { kind: 'NOT_ACCEPTED' }],
    ['a wrong check digit', { corporateNumber: '1000012050002' }, { corporateNumber: 'INVALID' }],
    ['12 digits', { corporateNumber: '000012050002' }, { corporateNumber: 'INVALID' }],
    ['a company without a number', { corporateNumber: '' }, { corporateNumber: 'REQUIRED' }],
    ['an NPO without a number', { kind: ApplicantKind.NPO, corporateNumber: null }, { corporateNumber: 'REQUIRED' }],
    ['an association without a number', { kind: ApplicantKind.ASSOCIATION, corporateNumber: '  ' }, { corporateNumber: 'REQUIRED' }],
    ['a university without a number', { kind: ApplicantKind.UNIVERSITY, corporateNumber: null }, {}],
    ['an other body without a number', { kind: ApplicantKind.OTHER, corporateNumber: null }, {}],
    ['a university with a wrong number', { kind: ApplicantKind.UNIVERSITY, corporateNumber: '7000012050003' }, { corporateNumber: 'INVALID' }],
    ['kana in hiragana', { nameKana: 'かぶしきがいしゃ' }, { nameKana: 'INVALID' }],
    ['kana with kanji', { nameKana: '株式会社テスト' }, { nameKana: 'INVALID' }],
    ['a short password', { password: '123456789' }, { password: 'INVALID' }],
    ['an over-long password', { password: 'x'.repeat(1025) }, { password: 'TOO_LONG' }],
    ['a bad e-mail', { email: 'not-an-address' }, { email: 'INVALID' }],
    ['a bad phone', { contactPhone: 'call me' }, { contactPhone: 'INVALID' }],
    ['an over-long name', { name: 'あ'.repeat(201) }, { name: 'TOO_LONG' }],
    ['everything empty', { email: '', displayName: ' ', password: '', name: '', nameKana: '', address: '', representative: '', contactName: '', contactEmail: '', contactPhone: '', corporateNumber: '' },
      { email: 'REQUIRED', displayName: 'REQUIRED', password: 'REQUIRED', name: 'REQUIRED', nameKana: 'REQUIRED', corporateNumber: 'REQUIRED', address: 'REQUIRED', representative: 'REQUIRED', contactName: 'REQUIRED', contactEmail: 'REQUIRED', contactPhone: 'REQUIRED' }],
    ['an individual, a bad number and a short password at once', { kind: ApplicantKind.INDIVIDUAL, corporateNumber: '123', password: 'short' }, { kind: 'NOT_ACCEPTED', corporateNumber: 'INVALID', password: 'INVALID' }],
  ];
  for (const [label, input, expected] of CASES) {
    it(`reports ${label}`, () => {
      expect(problems(input)).toEqual(expected);
    });
  }
});
