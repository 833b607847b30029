import { ValidateIf } from 'class-validator';

/**
 * The field may be left out, but not sent as `null`: unlike class-validator's `@IsOptional()`,
 * a `null` is checked by the field's other rules and refused, so no `null` reaches an event.
 */
export function Optional(): PropertyDecorator {
  return ValidateIf((_object: object, value: unknown) => value !== undefined);
}
