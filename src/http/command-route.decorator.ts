import { applyDecorators, HttpCode, type Type } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiParam, type ApiParamOptions, ApiResponse } from '@nestjs/swagger';
import { RequireRoles } from '../auth/require-roles.decorator';
import type { Role } from '../auth/roles';
import { CommandAcceptedDto } from './command-accepted';

/** The optional `Idempotency-Key` header every command route honours. */
export const IDEMPOTENCY_HEADER = {
  name: 'Idempotency-Key',
  required: false,
  description: 'retrying with the same key appends nothing twice',
} as const;

/** The 401 every route behind the bearer token can answer. */
export const UNAUTHENTICATED = { status: 401, description: 'missing or invalid bearer token' } as const;

/** The refusals a command route documents, by status; 401 is documented for every route. */
export type CommandRefusals = Partial<Record<400 | 403 | 404 | 409 | 422, string>>;

export interface CommandRouteOptions {
  /** Who may send the command; anyone else gets 403 ROLE_REQUIRED. */
  readonly roles: readonly [Role, ...Role[]];
  readonly summary: string;
  readonly description: string;
  /** The status of a success: 201 (the default) for a command that appends, 200 for a replacement. */
  readonly status?: 201 | 200;
  /** The path parameters, as the OpenAPI document shows them. */
  readonly params?: readonly ApiParamOptions[];
  /** The body of a success, when it is not the plain `CommandAcceptedDto`. */
  readonly answer?: { readonly type: Type<unknown>; readonly example?: unknown };
  /** What each refusal means. */
  readonly responses: CommandRefusals;
}

/** Path parameters that name a record (`record-{code}` stream): its archive code, or one of its loans. */
const RECORD_PARAMS: ReadonlySet<string> = new Set(['code', 'loanId']);

/** What any command on a record may be refused with once the record has left the archive. */
export const RECORD_GONE =
  'RECORD_DESTROYED (D6): the record was destroyed and refuses every command; RECORD_TRANSFERRED (X1): the record left custody';

/**
 * A command route: its success status, the roles that may send it, and its OpenAPI operation
 * (summary, path parameters, the optional Idempotency-Key, the success answer, 401 and the
 * refusals given). `@ApiTags` and `@ApiBearerAuth` stay on the controller.
 */
export function CommandRoute({
  roles,
  summary,
  description,
  status = 201,
  params = [],
  answer = { type: CommandAcceptedDto },
  responses,
}: CommandRouteOptions): MethodDecorator {
  const { 400: invalid, 403: forbidden, 404: notFound, 409: conflict } = responses;
  // Every command on a record is refused once the record is destroyed or transferred.
  const onRecord = params.some((param) => RECORD_PARAMS.has(param.name));
  const refused = onRecord
    ? [responses[422], RECORD_GONE].filter((text) => text !== undefined).join('; ')
    : responses[422];
  const refusal = (code: number, text: string | undefined) =>
    text === undefined ? [] : [ApiResponse({ status: code, description: text })];
  return applyDecorators(
    HttpCode(status),
    RequireRoles(...roles),
    ApiOperation({ summary, description }),
    ApiHeader(IDEMPOTENCY_HEADER),
    ...params.map((param) => ApiParam(param)),
    ApiResponse({
      status,
      type: answer.type,
      ...(answer.example !== undefined ? { example: answer.example } : {}),
    }),
    ...refusal(400, invalid),
    ApiResponse(UNAUTHENTICATED),
    ...refusal(403, forbidden),
    ...refusal(404, notFound),
    ...refusal(409, conflict),
    ...refusal(422, refused),
  );
}
