/**
 * Domain errors are values with a stable code. Only the HTTP and CLI edges translate them
 * (see src/http/error.filter.ts): the domain never knows about status codes.
 *
 * - `invalid`    the command itself is malformed (→ 400)
 * - `forbidden`  the actor may not do this (→ 403)
 * - `not_found`  the thing acted on does not exist (→ 404)
 * - `conflict`   the state moved under the caller, or the thing already exists (→ 409)
 * - `rule`       a business rule from the BRIEF forbids it; `rule` names its id (→ 422)
 */
export type DomainErrorKind = 'invalid' | 'forbidden' | 'not_found' | 'conflict' | 'rule';

export interface FieldProblem {
  readonly field: string;
  readonly problems: readonly string[];
}

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    /** Stable, machine-readable code, e.g. `RECORD_ON_LOAN`. */
    readonly code: string,
    message: string,
    readonly details: { readonly rule?: string; readonly fields?: readonly FieldProblem[] } = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/** A business rule from the BRIEF refuses the command. */
export function ruleBroken(rule: string, code: string, message: string): DomainError {
  return new DomainError('rule', code, `${rule}: ${message}`, { rule });
}

export function invalid(code: string, message: string, fields: readonly FieldProblem[] = []): DomainError {
  return new DomainError('invalid', code, message, { fields });
}

export function forbidden(code: string, message: string): DomainError {
  return new DomainError('forbidden', code, message);
}

export function notFound(code: string, message: string): DomainError {
  return new DomainError('not_found', code, message);
}

/** The state moved under the caller or the thing already exists; `rule` names the BRIEF rule behind it, if one is. */
export function conflict(code: string, message: string, rule?: string): DomainError {
  return new DomainError('conflict', code, message, rule ? { rule } : {});
}
