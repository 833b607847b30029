import { randomUUID } from 'node:crypto';
import { SignJWT } from 'jose';
import { CLASSIFICATIONS } from '../domain-kernel/actor';
import type { AppConfig } from '../config/config';
import { systemClock, type Clock } from '../clock/clock';
import { isClassification } from './actor-claims';
import { TokenRequestError } from './auth.errors';
import { isRole, ROLES } from './roles';
import { loadOrCreateSigningKey } from './signing-key';

export interface TokenRequest {
  /** The user id; becomes the token's `sub`. */
  readonly user: string;
  readonly roles: readonly string[];
  readonly unit: string;
  readonly clearance: string;
  /** Lifetime such as `30m`, `8h`, `7d` (at most 30d). Default `8h`. */
  readonly ttl?: string;
}

export const DEFAULT_TTL = '8h';
const MAX_TTL_SECONDS = 30 * 24 * 3600;
const UNIT_SECONDS: Readonly<Record<string, number>> = { s: 1, m: 60, h: 3600, d: 86_400 };

/**
 * Mints a bearer token signed with the embedded key (AUTH_MODE=embedded only; with an external
 * issuer, tokens come from that issuer).
 * @throws TokenRequestError listing every problem with the request.
 */
export async function mintToken(
  config: AppConfig,
  request: TokenRequest,
  options: { clock?: Clock } = {},
): Promise<string> {
  if (config.authMode !== 'embedded') {
    throw new TokenRequestError([
      `minting needs AUTH_MODE=embedded; AUTH_MODE is ${config.authMode}, so tokens come from the configured issuer`,
    ]);
  }
  const problems: string[] = [];
  const user = request.user?.trim() ?? '';
  if (user === '') problems.push('user must be a non-empty id');
  const roles = [...new Set((request.roles ?? []).map((role) => role.trim()).filter((role) => role !== ''))];
  const unknown = roles.filter((role) => !isRole(role));
  if (roles.length === 0) problems.push(`roles must name at least one of: ${ROLES.join(', ')}`);
  else if (unknown.length > 0)
    problems.push(
      `unknown role ${unknown.map((r) => JSON.stringify(r)).join(', ')} (known: ${ROLES.join(', ')})`,
    );
  const unit = request.unit?.trim() ?? '';
  if (unit === '') problems.push('unit must be a non-empty string');
  const clearance = request.clearance?.trim();
  if (!isClassification(clearance)) {
    problems.push(
      `clearance must be one of ${CLASSIFICATIONS.join(', ')}; got ${JSON.stringify(request.clearance ?? null)}`,
    );
  }
  const ttl = request.ttl ?? DEFAULT_TTL;
  const ttlSeconds = parseTtl(ttl);
  if (typeof ttlSeconds === 'string') problems.push(ttlSeconds);
  if (problems.length > 0) throw new TokenRequestError(problems);

  const key = await loadOrCreateSigningKey(config.dataDir);
  const issuedAt = Math.floor((options.clock ?? systemClock).now().getTime() / 1000);
  return new SignJWT({ roles, unit, clearance })
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setSubject(user)
    .setIssuer(config.jwtIssuer)
    .setAudience(config.jwtAudience)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + (ttlSeconds as number))
    .setJti(randomUUID())
    .sign(key.privateKey);
}

/** Seconds in a lifetime like `90s`, `30m`, `8h`, `7d`; or a message saying what is wrong. */
export function parseTtl(ttl: string): number | string {
  const match = /^(\d{1,7})([smhd])$/.exec(ttl.trim());
  if (match === null)
    return `ttl must be a whole number followed by s, m, h or d (e.g. 30m, 8h, 7d); got ${JSON.stringify(ttl)}`;
  const seconds = Number(match[1]) * UNIT_SECONDS[match[2]];
  if (seconds <= 0) return 'ttl must be longer than zero';
  if (seconds > MAX_TTL_SECONDS) return `ttl must be at most 30d; got ${ttl}`;
  return seconds;
}
