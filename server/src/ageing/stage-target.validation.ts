import { FieldErrors } from '../errors/domain-errors.js';

export const MIN_TARGET_BUSINESS_DAYS = 1;
/** About a year and a half of business days: anything longer is no target at all. */
export const MAX_TARGET_BUSINESS_DAYS = 365;

/** A target is a whole number of business days from 1 to 365; otherwise a field error on `businessDays`. */
export function validateTargetBusinessDays(businessDays: number): number {
  if (!Number.isInteger(businessDays) || businessDays < MIN_TARGET_BUSINESS_DAYS || businessDays > MAX_TARGET_BUSINESS_DAYS) {
    new FieldErrors().add('businessDays', 'INVALID', `A target is a whole number of business days from ${MIN_TARGET_BUSINESS_DAYS} to ${MAX_TARGET_BUSINESS_DAYS}`).throwIfAny();
  }
  return businessDays;
}

/** A reminder interval is null (remind once) or a whole number of business days from 1 to 365. */
export function validateRemindEvery(remindEveryBusinessDays: number | null): number | null {
  if (remindEveryBusinessDays === null) return null;
  if (!Number.isInteger(remindEveryBusinessDays) || remindEveryBusinessDays < MIN_TARGET_BUSINESS_DAYS || remindEveryBusinessDays > MAX_TARGET_BUSINESS_DAYS) {
    new FieldErrors().add('remindEveryBusinessDays', 'INVALID', `Remind again every ${MIN_TARGET_BUSINESS_DAYS} to ${MAX_TARGET_BUSINESS_DAYS} business days, or leave it empty to remind once`).throwIfAny();
  }
  return remindEveryBusinessDays;
}
