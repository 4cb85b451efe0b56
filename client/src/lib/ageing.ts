import type { AgeingStage, AgeingSummaryFragment, ProposalFilter } from '../gql/graphql'

/**
 * Every AgeingStage in the order a proposal meets them. A Record, so the compiler fails when the
 * server adds a stage and this list does not.
 */
const STAGE_ORDER: Record<AgeingStage, number> = {
  INTAKE: 0,
  REVIEW: 1,
  DIALOGUE: 2,
  MATCH_ANSWER: 3,
  START_OF_WORK: 4,
}

export const AGEING_STAGES: readonly AgeingStage[] = (Object.keys(STAGE_ORDER) as AgeingStage[]).sort((a, b) => STAGE_ORDER[a] - STAGE_ORDER[b])

/** The i18n key of a stage's name (受付待ち, 内容確認, …). */
export function stageLabelKey(stage: AgeingStage): string {
  return `ageing.stage.${stage}`
}

/** The limits the server enforces on a target (its check is the one that counts). */
export const MIN_TARGET_DAYS = 1
export const MAX_TARGET_DAYS = 365

export type TargetInput = { ok: true; value: number } | { ok: false; code: 'REQUIRED' | 'INVALID' }

/**
 * What the desk typed as a target: a whole number of business days from 1 to 365. Full-width
 * digits (１０) are accepted, as Japanese input methods often produce them.
 */
export function parseTargetInput(text: string): TargetInput {
  const trimmed = text.trim().replace(/[０-９]/g, (d) => String.fromCharCode(d.charCodeAt(0) - 0xfee0))
  if (trimmed === '') return { ok: false, code: 'REQUIRED' }
  if (!/^\d+$/.test(trimmed)) return { ok: false, code: 'INVALID' }
  const value = Number(trimmed)
  return value >= MIN_TARGET_DAYS && value <= MAX_TARGET_DAYS ? { ok: true, value } : { ok: false, code: 'INVALID' }
}

/** What a badge says: the key and values of its text, and whether it carries the over-target flag. */
export interface AgeingBadgeText {
  key: 'ageing.badge.within' | 'ageing.badge.over'
  named: { n: number; target: number }
  over: boolean
}

/** 「7営業日（目標5）」 with the over-target flag, or null when nothing waits (the UI shows —). */
export function ageingBadgeText(ageing: Pick<AgeingSummaryFragment, 'businessDays' | 'targetBusinessDays' | 'overTarget'> | null | undefined): AgeingBadgeText | null {
  if (!ageing) return null
  const named = { n: ageing.businessDays, target: ageing.targetBusinessDays }
  return ageing.overTarget ? { key: 'ageing.badge.over', named, over: true } : { key: 'ageing.badge.within', named, over: false }
}

/** The intake query's filter with "over target only" added (or left out when the toggle is off). */
export function withOverTarget(filter: ProposalFilter | null, overTargetOnly: boolean): ProposalFilter | null {
  if (!overTargetOnly) return filter
  return { ...(filter ?? {}), overTarget: true }
}

/** The toggle's state in the URL: ?over=1 (so a shared or reloaded link keeps it). */
export function overTargetFromQuery(value: unknown): boolean {
  return value === '1'
}

/** When a target was last changed, in Japan time: "2026/11/24 10:05" (ja) / "Nov 24, 2026, 10:05 AM" (en). */
export function formatChangedAt(iso: string, locale: string): string {
  const date = new Date(iso)
  if (Number.isNaN(date.getTime())) return iso
  return new Intl.DateTimeFormat(locale === 'en' ? 'en-US' : 'ja-JP', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'Asia/Tokyo' }).format(date)
}
