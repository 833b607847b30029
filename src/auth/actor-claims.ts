import type { JWTPayload } from 'jose';
import { CLASSIFICATIONS, type Actor, type Classification } from '../domain-kernel/actor';
import { AuthenticationError } from './auth.errors';
import { isRole, ROLES, type Role } from './roles';

/** The application claims a token carries besides the registered ones (sub, iss, aud, exp …). */
export interface ActorClaims {
  readonly roles: readonly Role[];
  readonly unit: string;
  readonly clearance: Classification;
}

/**
 * Turns a verified token payload into the acting identity. Every claim problem is reported, each
 * naming the claim and what was expected.
 */
export function actorFromClaims(payload: JWTPayload): Actor {
  const problems: string[] = [];
  const { sub } = payload;
  if (typeof sub !== 'string' || sub.trim() === '') problems.push('claim sub must be a non-empty string');

  const roles = payload['roles'];
  const roleProblem = describeRolesProblem(roles);
  if (roleProblem !== undefined) problems.push(`claim roles must be an array of known roles: ${roleProblem}`);

  const unit = payload['unit'];
  if (typeof unit !== 'string' || unit.trim() === '') problems.push('claim unit must be a non-empty string');

  const clearance = payload['clearance'];
  if (!isClassification(clearance)) {
    problems.push(`claim clearance must be one of ${CLASSIFICATIONS.join(', ')}; got ${show(clearance)}`);
  }

  if (problems.length > 0) throw new AuthenticationError(problems.join('; '));
  return Object.freeze({
    id: sub as string,
    roles: Object.freeze([...new Set(roles as Role[])]),
    unit: unit as string,
    clearance: clearance as Classification,
  });
}

function describeRolesProblem(roles: unknown): string | undefined {
  if (roles === undefined) return 'the claim is missing';
  if (!Array.isArray(roles)) return `got ${show(roles)}`;
  if (roles.length === 0) return 'the array is empty';
  const unknown = roles.filter((role) => !isRole(role));
  if (unknown.length > 0) return `unknown ${unknown.map(show).join(', ')} (known: ${ROLES.join(', ')})`;
  return undefined;
}

export function isClassification(value: unknown): value is Classification {
  return typeof value === 'string' && (CLASSIFICATIONS as readonly string[]).includes(value);
}

/** A short, printable rendering of a claim value for an error message. */
function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
