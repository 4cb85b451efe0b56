import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { PageInfo } from '../graphql/connection.js';
import { Organisation, OrganisationKind } from './organisation.entity.js';

/**
 * Who is applying: the five kinds of organisation, or an individual. Individuals are refused with
 * a reason (個人は除く), so the form can offer the choice and the answer can explain it.
 */
export enum ApplicantKind {
  COMPANY = 'COMPANY',
  UNIVERSITY = 'UNIVERSITY',
  NPO = 'NPO',
  ASSOCIATION = 'ASSOCIATION',
  OTHER = 'OTHER',
  INDIVIDUAL = 'INDIVIDUAL',
}
registerEnumType(ApplicantKind, {
  name: 'ApplicantKind',
  description: 'The OrganisationKind values, plus INDIVIDUAL, which is refused (individuals cannot propose)',
});

@InputType({ description: 'Registers an organisation and its first member (the person filling in the form)' })
export class OrganisationRegistrationInput {
  @Field(() => String, { description: 'The first member’s sign-in e-mail' })
  email!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => String, { description: 'At least 10 characters' })
  password!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'The name in katakana (フリガナ)' })
  nameKana!: string;

  @Field(() => ApplicantKind)
  kind!: ApplicantKind;

  @Field(() => String, { nullable: true, description: '法人番号, 13 digits; required for COMPANY, NPO and ASSOCIATION. Full-width digits and hyphens are accepted.' })
  corporateNumber?: string | null;

  @Field(() => String)
  address!: string;

  @Field(() => String, { description: '代表者' })
  representative!: string;

  @Field(() => String, { description: '担当者' })
  contactName!: string;

  @Field(() => String)
  contactEmail!: string;

  @Field(() => String)
  contactPhone!: string;
}

@InputType()
export class OrganisationFilter {
  @Field(() => OrganisationKind, { nullable: true })
  kind?: OrganisationKind | null;

  @Field(() => Boolean, { nullable: true })
  verified?: boolean | null;

  @Field(() => Boolean, { nullable: true })
  suspended?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Part of the name, the kana or the 法人番号' })
  search?: string | null;
}

@ObjectType({ description: 'A current member of an organisation' })
export class OrganisationMember {
  @Field(() => ID)
  accountId!: string;

  @Field(() => String)
  displayName!: string;

  @Field(() => String)
  email!: string;

  @Field(() => Date)
  joinedAt!: Date;
}

@ObjectType({ description: 'An invitation not yet accepted, revoked or expired' })
export class PendingInvitation {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType({ description: 'A new invitation. `url` holds the single-use token: it is shown once, to the inviter, who passes it on.' })
export class InvitationLink {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  email!: string;

  @Field(() => Date)
  expiresAt!: Date;

  @Field(() => String, { description: 'Path of the acceptance page: /invitations/<token>' })
  url!: string;
}

@ObjectType({ description: 'What the holder of an invitation link may know before accepting it' })
export class InvitationPreview {
  @Field(() => String)
  organisationName!: string;

  @Field(() => String)
  email!: string;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType({ description: 'What the viewer may do to this organisation now' })
export class OrganisationAbilities {
  @Field(() => Boolean)
  invite!: boolean;

  @Field(() => Boolean)
  leave!: boolean;

  @Field(() => Boolean)
  removeMembers!: boolean;

  @Field(() => Boolean)
  verify!: boolean;

  @Field(() => Boolean)
  suspend!: boolean;

  @Field(() => Boolean)
  reinstate!: boolean;
}

@ObjectType()
export class OrganisationEdge {
  @Field(() => String)
  cursor!: string;

  @Field(() => Organisation)
  node!: Organisation;
}

@ObjectType()
export class OrganisationConnection {
  @Field(() => [OrganisationEdge])
  edges!: OrganisationEdge[];

  @Field(() => PageInfo)
  pageInfo!: PageInfo;

  @Field(() => Int)
  totalCount!: number;
}

export enum OrganisationEventKind {
  REGISTERED = 'REGISTERED',
  MEMBER_INVITED = 'MEMBER_INVITED',
  INVITATION_REVOKED = 'INVITATION_REVOKED',
  MEMBER_JOINED = 'MEMBER_JOINED',
  MEMBER_LEFT = 'MEMBER_LEFT',
  MEMBER_REMOVED = 'MEMBER_REMOVED',
  VERIFIED = 'VERIFIED',
  SUSPENDED = 'SUSPENDED',
  REINSTATED = 'REINSTATED',
}
