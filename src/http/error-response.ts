import type { FieldProblem } from '../domain-kernel/domain-error';

/**
 * Every error the API answers has this body. `error` is a stable code; `rule` names the BRIEF rule
 * a 422 broke; `fields` lists the offending fields of a 400.
 */
export interface ErrorResponse {
  readonly statusCode: number;
  readonly error: string;
  readonly message: string;
  readonly rule?: string;
  readonly fields?: readonly FieldProblem[];
  readonly correlationId?: string;
}
