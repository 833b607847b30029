import {
  ForbiddenException,
  Inject,
  Injectable,
  ServiceUnavailableException,
  UnauthorizedException,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Actor } from '../domain-kernel/actor';
import { AuthenticationError, IdentityProviderUnavailableError } from './auth.errors';
import { IS_PUBLIC_KEY } from './public.decorator';
import { REQUIRED_ROLES_KEY } from './require-roles.decorator';
import type { Role } from './roles';
import { TOKEN_VERIFIER, type TokenVerifier } from './token-verifier';

/** The request as the guard leaves it: `actor` is set on every non-public route. */
export interface AuthenticatedRequest {
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  actor?: Actor;
}

interface ReplyWithHeaders {
  header(name: string, value: string): unknown;
}

const REALM = 'archive-ledger';

/**
 * Global guard (registered as APP_GUARD by AuthModule): every route needs a valid bearer token
 * unless marked `@Public()`, and the roles listed by `@RequireRoles(...)` if any.
 */
@Injectable()
export class AuthGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(TOKEN_VERIFIER) private readonly verifier: TokenVerifier,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return false;
    const targets = [context.getHandler(), context.getClass()];
    if (this.reflector.getAllAndOverride<boolean>(IS_PUBLIC_KEY, targets) === true) return true;

    const http = context.switchToHttp();
    const request = http.getRequest<AuthenticatedRequest>();
    const authorization = request.headers['authorization'];
    let actor: Actor;
    try {
      actor = await this.verifier.verify(typeof authorization === 'string' ? authorization : undefined);
    } catch (error) {
      if (error instanceof IdentityProviderUnavailableError) {
        throw new ServiceUnavailableException({
          statusCode: 503,
          error: 'IDENTITY_PROVIDER_UNAVAILABLE',
          message: error.message,
        });
      }
      if (!(error instanceof AuthenticationError)) throw error;
      http.getResponse<ReplyWithHeaders>().header('WWW-Authenticate', challenge(error));
      throw new UnauthorizedException({ statusCode: 401, error: 'UNAUTHENTICATED', message: error.message });
    }
    request.actor = actor;

    const required = this.reflector.getAllAndOverride<readonly Role[] | undefined>(
      REQUIRED_ROLES_KEY,
      targets,
    );
    if (
      required !== undefined &&
      required.length > 0 &&
      !required.some((role) => actor.roles.includes(role))
    ) {
      throw new ForbiddenException({
        statusCode: 403,
        error: 'FORBIDDEN',
        code: 'ROLE_REQUIRED',
        message: `requires one of the roles: ${required.join(', ')}`,
      });
    }
    return true;
  }
}

/**
 * RFC 6750 §3 challenge. A request without bearer credentials gets no error code (§3.1);
 * a bad token gets `invalid_token` and a description limited to the characters the RFC allows.
 */
function challenge(error: AuthenticationError): string {
  if (error.kind === 'missing') return `Bearer realm="${REALM}"`;
  const description = error.message.replace(/[^\x20-\x21\x23-\x5b\x5d-\x7e]/g, '?').slice(0, 300);
  return `Bearer realm="${REALM}", error="invalid_token", error_description="${description}"`;
}
