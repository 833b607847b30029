import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { Actor } from '../domain-kernel/actor';
import type { AuthenticatedRequest } from './auth.guard';

/**
 * The verified caller (`request.actor`, set by the AuthGuard). Using it on a `@Public()` route is a
 * programming error and fails loudly rather than yielding `undefined`.
 */
export const CurrentActor = createParamDecorator((_data: unknown, context: ExecutionContext): Actor => {
  const actor = context.switchToHttp().getRequest<AuthenticatedRequest>().actor;
  if (actor === undefined) {
    throw new Error(
      '@CurrentActor() used on a route without an authenticated actor (is the route @Public()?)',
    );
  }
  return actor;
});
