import { Transform } from 'class-transformer';

/** A whole number written in decimal digits, optionally negative, short enough to be exact. */
const DECIMAL_INTEGER = /^-?[0-9]{1,15}$/;

/**
 * A query-string parameter read as a whole number: only plain decimal digits become a number
 * (`16`), anything else (`0x10`, `1e3`, ` 16`, `16.0`, a 30-digit number) stays a string, so the
 * field's `@IsInt()` refuses it with 400 naming the field. `@Type(() => Number)` would turn
 * `0x10` into 16 and `''` into 0.
 */
export function QueryInt(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) =>
    typeof value === 'string' && DECIMAL_INTEGER.test(value) ? Number(value) : value,
  );
}
