import { describe, expect, it } from 'vitest';
import { InputError } from '../errors/domain-errors.js';
import { validateTargetBusinessDays } from './stage-target.validation.js';

describe('validateTargetBusinessDays', () => {
  it.each([1, 5, 40, 365])('accepts %s', (days) => {
    expect(validateTargetBusinessDays(days)).toBe(days);
  });

  it.each([0, -1, 366, 2.5, Number.NaN])('refuses %s as businessDays INVALID', (days) => {
    try {
      validateTargetBusinessDays(days);
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(InputError);
      expect((error as InputError).fields).toEqual([expect.objectContaining({ field: 'businessDays', code: 'INVALID' })]);
    }
  });
});
