import { SetMetadata } from '@nestjs/common';
import type { Role } from './roles';

export const REQUIRED_ROLES_KEY = 'auth:required-roles';

/**
 * The caller needs at least one of these roles (403 ROLE_REQUIRED otherwise). On a method it
 * replaces, not adds to, a controller-level `@RequireRoles`.
 */
export function RequireRoles(...roles: Role[]): MethodDecorator & ClassDecorator {
  if (roles.length === 0) throw new Error('@RequireRoles() needs at least one role');
  return SetMetadata(REQUIRED_ROLES_KEY, Object.freeze([...roles]));
}
