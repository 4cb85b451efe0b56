import { FieldErrors } from '../errors/domain-errors.js';
import { OrganisationKind } from './organisation.entity.js';
import { checkCorporateNumber } from './corporate-number.js';
import { ApplicantKind, type OrganisationRegistrationInput } from './organisation.types.js';
import { PASSWORD_LIMITS, checkNewPassword } from '../identity/password-rules.js';

export const ORGANISATION_LIMITS = {
  name: 200,
  nameKana: 200,
  address: 500,
  representative: 100,
  contactName: 100,
  displayName: 100,
  email: 254,
  contactEmail: 254,
  contactPhone: 30,
  passwordMin: PASSWORD_LIMITS.min,
  passwordMax: PASSWORD_LIMITS.max,
  reason: 1000,
} as const;

/** Kinds that always have a 法人番号. Universities (national ones have one) and other bodies may not. */
export const KINDS_REQUIRING_CORPORATE_NUMBER: ReadonlySet<OrganisationKind> = new Set([OrganisationKind.COMPANY, OrganisationKind.NPO, OrganisationKind.ASSOCIATION]);

export const INDIVIDUAL_REFUSED = 'Individuals cannot propose; the desk accepts companies, universities, NPOs and other bodies (個人の方からの提案は受け付けていません)';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
/** Katakana (including ・ and ー) and spaces, after NFKC has widened half-width kana. */
const KATAKANA = /^[\u30A1-\u30FF ]+$/u;

export interface CleanAccountInput {
  email: string;
  displayName: string;
  password: string;
}

export interface CleanOrganisationInput {
  name: string;
  nameKana: string;
  kind: OrganisationKind;
  corporateNumber: string | null;
  address: string;
  representative: string;
  contactName: string;
  contactEmail: string;
  contactPhone: string;
}

type TextField = 'name' | 'nameKana' | 'address' | 'representative' | 'contactName' | 'displayName' | 'email' | 'contactEmail' | 'contactPhone';

function requiredText(errors: FieldErrors, field: TextField, raw: string | null | undefined, label: string): string {
  const value = (raw ?? '').trim();
  if (value === '') errors.add(field, 'REQUIRED', `${label} is required`);
  else if (value.length > ORGANISATION_LIMITS[field]) errors.add(field, 'TOO_LONG', `${label} must be at most ${ORGANISATION_LIMITS[field]} characters`);
  return value;
}

function email(errors: FieldErrors, field: 'email' | 'contactEmail', raw: string | null | undefined): string {
  const value = requiredText(errors, field, raw, 'An e-mail address').toLowerCase();
  if (value !== '' && value.length <= ORGANISATION_LIMITS[field] && !EMAIL.test(value)) errors.add(field, 'INVALID', 'Enter an e-mail address like name@example.jp');
  return value;
}

/** Pure: the new account's fields (registration and accepting an invitation). Adds problems to `errors`. */
export function validateAccountFields(errors: FieldErrors, input: { email?: string | null; displayName: string; password: string }, withEmail = true): CleanAccountInput {
  const cleanEmail = withEmail ? email(errors, 'email', input.email) : '';
  const displayName = requiredText(errors, 'displayName', input.displayName, 'Your name');
  const password = input.password ?? '';
  checkNewPassword(errors, 'password', password);
  return { email: cleanEmail, displayName, password };
}

/**
 * Pure: every problem with a registration at once (the caller adds what only the database knows,
 * then throws), or the cleaned input.
 */
export function validateRegistration(errors: FieldErrors, input: OrganisationRegistrationInput): { account: CleanAccountInput; organisation: CleanOrganisationInput } {
  const account = validateAccountFields(errors, input);
  const name = requiredText(errors, 'name', input.name, 'The organisation’s name');
  const nameKana = requiredText(errors, 'nameKana', (input.nameKana ?? '').normalize('NFKC'), 'The name in katakana').replace(/ +/g, ' ');
  if (nameKana !== '' && nameKana.length <= ORGANISATION_LIMITS.nameKana && !KATAKANA.test(nameKana)) errors.add('nameKana', 'INVALID', 'Write the name in katakana (カタカナ) and spaces only');

  let kind = OrganisationKind.OTHER;
  if (input.kind === ApplicantKind.INDIVIDUAL) errors.add('kind', 'NOT_ACCEPTED', INDIVIDUAL_REFUSED);
  else if (!Object.values(OrganisationKind).includes(input.kind as unknown as OrganisationKind)) errors.add('kind', 'INVALID', 'Choose the kind of organisation');
  else kind = input.kind as unknown as OrganisationKind;

  let corporateNumber: string | null = null;
  const rawNumber = (input.corporateNumber ?? '').trim();
  if (rawNumber === '') {
    if (input.kind !== ApplicantKind.INDIVIDUAL && KINDS_REQUIRING_CORPORATE_NUMBER.has(kind)) errors.add('corporateNumber', 'REQUIRED', 'A 法人番号 is required for this kind of organisation');
  } else {
    const check = checkCorporateNumber(rawNumber);
    if (check.ok) corporateNumber = check.value;
    else errors.add('corporateNumber', 'INVALID', check.problem === 'CHECK_DIGIT' ? 'This 法人番号 is not valid: its check digit does not match' : 'A 法人番号 is 13 digits');
  }

  const address = requiredText(errors, 'address', input.address, 'The address');
  const representative = requiredText(errors, 'representative', input.representative, 'The representative');
  const contactName = requiredText(errors, 'contactName', input.contactName, 'The contact person');
  const contactEmail = email(errors, 'contactEmail', input.contactEmail);
  const contactPhone = requiredText(errors, 'contactPhone', (input.contactPhone ?? '').normalize('NFKC'), 'A phone number');
  if (contactPhone !== '' && contactPhone.length <= ORGANISATION_LIMITS.contactPhone) {
    const digits = contactPhone.replace(/\D/g, '').length;
    if (!/^\+?[0-9][0-9\-() ]*$/.test(contactPhone) || digits < 6 || digits > 15) errors.add('contactPhone', 'INVALID', 'Enter a phone number like 03-3964-1111');
  }
  return { account, organisation: { name, nameKana, kind, corporateNumber, address, representative, contactName, contactEmail, contactPhone } };
}

/** Pure: a reason the desk must give (suspension). */
export function validateReason(raw: string | null | undefined): string {
  const errors = new FieldErrors();
  const value = (raw ?? '').trim();
  if (value === '') errors.add('reason', 'REQUIRED', 'Give a reason');
  else if (value.length > ORGANISATION_LIMITS.reason) errors.add('reason', 'TOO_LONG', `At most ${ORGANISATION_LIMITS.reason} characters`);
  errors.throwIfAny();
  return value;
}
