import type { ChallengeDetailsFragment, ChallengeInput } from '../gql/graphql'

/** What the challenge form edits: plain strings for inputs, '' for "not chosen". */
export interface ChallengeFormValues {
  title: string
  description: string
  background: string
  owningSectionId: string
  fieldCodes: string[]
  periodStart: string
  periodEnd: string
  contact: string
}

export function emptyChallengeForm(): ChallengeFormValues {
  return {
    title: '',
    description: '',
    background: '',
    owningSectionId: '',
    fieldCodes: [],
    periodStart: '',
    periodEnd: '',
    contact: '',
  }
}

export function challengeToForm(c: ChallengeDetailsFragment): ChallengeFormValues {
  return {
    title: c.title,
    description: c.description,
    background: c.background,
    owningSectionId: c.owningSection?.id ?? '',
    fieldCodes: c.fields.map((f) => f.code),
    periodStart: c.periodStart ?? '',
    periodEnd: c.periodEnd ?? '',
    contact: c.contact,
  }
}

/** The mutation input; empty optional values become null so the server sees "not set". */
export function formToInput(v: ChallengeFormValues): ChallengeInput {
  return {
    title: v.title.trim(),
    description: v.description,
    background: v.background,
    owningSectionId: v.owningSectionId === '' ? null : v.owningSectionId,
    fieldCodes: [...v.fieldCodes],
    periodStart: v.periodStart === '' ? null : v.periodStart,
    periodEnd: v.periodEnd === '' ? null : v.periodEnd,
    contact: v.contact.trim(),
  }
}

/** A stable text form of an input, to recognise "the same submission" on retry. */
export function inputFingerprint(input: ChallengeInput): string {
  return JSON.stringify([
    input.title,
    input.description,
    input.background,
    input.owningSectionId ?? null,
    [...input.fieldCodes].sort(),
    input.periodStart ?? null,
    input.periodEnd ?? null,
    input.contact,
  ])
}

/** The ChallengeInput field names the form has inputs for (server field errors use these names). */
export const CHALLENGE_FORM_FIELDS = [
  'title',
  'description',
  'background',
  'owningSectionId',
  'fieldCodes',
  'periodStart',
  'periodEnd',
  'contact',
] as const
