import type { ApplicantKind, OrganisationRegistrationInput } from '../gql/graphql'

/** What the registration form edits ('' kind: not chosen yet). */
export interface RegistrationValues {
  kind: ApplicantKind | ''
  name: string
  nameKana: string
  corporateNumber: string
  address: string
  representative: string
  contactName: string
  contactEmail: string
  contactPhone: string
  displayName: string
  email: string
  password: string
}

export function emptyRegistration(): RegistrationValues {
  return {
    kind: '',
    name: '',
    nameKana: '',
    corporateNumber: '',
    address: '',
    representative: '',
    contactName: '',
    contactEmail: '',
    contactPhone: '',
    displayName: '',
    email: '',
    password: '',
  }
}

/** The kinds offered, in the order of the guideline; INDIVIDUAL is offered so the refusal can be explained. */
export const APPLICANT_KINDS: readonly ApplicantKind[] = ['COMPANY', 'UNIVERSITY', 'NPO', 'ASSOCIATION', 'OTHER', 'INDIVIDUAL']

/** Kinds that have a 法人番号 and must give it. */
export const KINDS_REQUIRING_CORPORATE_NUMBER: readonly ApplicantKind[] = ['COMPANY', 'NPO', 'ASSOCIATION']

/** The input names of the registration form, in page order (for errors and focus). */
export const REGISTRATION_FIELDS = [
  'kind',
  'name',
  'nameKana',
  'corporateNumber',
  'address',
  'representative',
  'contactName',
  'contactEmail',
  'contactPhone',
  'displayName',
  'email',
  'password',
] as const

/** The mutation input, or null while no kind is chosen (the form then asks for one itself). */
export function registrationToInput(v: RegistrationValues): OrganisationRegistrationInput | null {
  if (v.kind === '') return null
  const corporateNumber = v.corporateNumber.trim()
  return {
    kind: v.kind,
    name: v.name.trim(),
    nameKana: v.nameKana.trim(),
    corporateNumber: corporateNumber === '' ? null : corporateNumber,
    address: v.address.trim(),
    representative: v.representative.trim(),
    contactName: v.contactName.trim(),
    contactEmail: v.contactEmail.trim(),
    contactPhone: v.contactPhone.trim(),
    displayName: v.displayName.trim(),
    email: v.email.trim(),
    password: v.password,
  }
}
