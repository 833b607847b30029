import { applyDecorators, type Type } from '@nestjs/common';
import { ApiOperation, ApiParam, type ApiParamOptions, ApiProduces, ApiResponse } from '@nestjs/swagger';
import { RequireRoles } from '../../auth/require-roles.decorator';
import type { Role } from '../../auth/roles';
import { UNAUTHENTICATED } from '../../http/command-route.decorator';

/** The 503 every query answers when `?after=` names a position the read models have not reached in time. */
export const PROJECTION_BEHIND = {
  status: 503,
  description:
    'PROJECTION_BEHIND: `after` names a position the read models have not reached within the wait (or one not yet written); retry shortly',
} as const;

export interface QueryRouteOptions {
  /** Who may ask; leave out for any authenticated caller. Anyone else gets 403 ROLE_REQUIRED. */
  readonly roles?: readonly [Role, ...Role[]];
  readonly summary: string;
  readonly description: string;
  readonly params?: readonly ApiParamOptions[];
  readonly answer: { readonly type: Type<unknown>; readonly example?: unknown };
  /** Also answers text/csv (see the route's `format`). */
  readonly csv?: boolean;
  /** What a 400 names; a 400 is always documented. */
  readonly invalid?: string;
  readonly notFound?: string;
}

/**
 * A query route: its roles, its OpenAPI operation (summary, parameters, answer, 400, 401, 403 when
 * roles are required, 404 when one thing is looked up, and the 503 of read-your-writes).
 */
export function QueryRoute({
  roles,
  summary,
  description,
  params = [],
  answer,
  csv = false,
  invalid = 'VALIDATION_FAILED or INVALID_QUERY: the offending query parameters are listed in `fields`',
  notFound,
}: QueryRouteOptions): MethodDecorator {
  return applyDecorators(
    ...(roles ? [RequireRoles(...roles)] : []),
    ApiOperation({ summary, description }),
    ...params.map((param) => ApiParam(param)),
    ...(csv ? [ApiProduces('application/json', 'text/csv')] : []),
    ApiResponse({
      status: 200,
      type: answer.type,
      ...(answer.example !== undefined ? { example: answer.example } : {}),
    }),
    ApiResponse({ status: 400, description: invalid }),
    ApiResponse(UNAUTHENTICATED),
    ...(roles ? [ApiResponse({ status: 403, description: `ROLE_REQUIRED: only ${roles.join(', ')}` })] : []),
    ...(notFound ? [ApiResponse({ status: 404, description: notFound })] : []),
    ApiResponse(PROJECTION_BEHIND),
  );
}
