/**
 * The fields (分野) a challenge can belong to: the themes the desk lists for proposals.
 * A fixed catalogue in code; stored on a challenge as codes.
 */
export interface ChallengeFieldEntry {
  code: string;
  nameJa: string;
  nameEn: string;
}

export const CHALLENGE_FIELDS: readonly ChallengeFieldEntry[] = [
  { code: 'picture-books', nameJa: '絵本のまち', nameEn: 'City of picture books' },
  { code: 'equality-diversity', nameJa: '男女平等参画・多様性理解', nameEn: 'Gender equality and diversity' },
  { code: 'disaster-crime-prevention', nameJa: '防災・防犯', nameEn: 'Disaster and crime prevention' },
  { code: 'elderly-welfare', nameJa: '高齢福祉', nameEn: 'Welfare for older people' },
  { code: 'disability-awareness', nameJa: '障がい理解啓発', nameEn: 'Disability awareness' },
  { code: 'environmental-education', nameJa: '環境教育', nameEn: 'Environmental education' },
  { code: 'cleaning-recycling', nameJa: '清掃・リサイクル', nameEn: 'Cleaning and recycling' },
  { code: 'child-rearing', nameJa: '子育て支援', nameEn: 'Child-rearing support' },
  { code: 'town-vitality', nameJa: 'まちづくり・賑わい創出', nameEn: 'Town planning and vitality' },
];

const BY_CODE = new Map(CHALLENGE_FIELDS.map((field) => [field.code, field]));

export function challengeFieldByCode(code: string): ChallengeFieldEntry | undefined {
  return BY_CODE.get(code);
}
