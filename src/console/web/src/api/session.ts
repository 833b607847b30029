/** Who is signed in: the token and, for display only, the claims it carries (the service verifies it). */
export interface Session {
  readonly token: string;
  readonly user: string;
  readonly roles: readonly string[];
  readonly unit: string;
  readonly clearance: string;
  /** Signed in through the development sign-in (AUTH_MODE=embedded): shown as such on every page. */
  readonly development: boolean;
  readonly expiresAt?: number;
}

const KEY = 'archive-ledger.session';

/** Who the service takes the bearer of a token to be (GET /auth/me). */
export interface VerifiedActor {
  readonly id: string;
  readonly roles: readonly string[];
  readonly unit: string;
  readonly clearance: string;
}

/**
 * Ask the service who a token belongs to before keeping it: a token it refuses never becomes a
 * session, and what the console shows is what the service verified, not what the token claims.
 */
export async function verifiedSession(token: string, development: boolean): Promise<Session> {
  const claims = sessionFromToken(token, development);
  const response = await fetch('/auth/me', {
    headers: { Accept: 'application/json', Authorization: `Bearer ${claims.token}` },
  });
  if (!response.ok) {
    const problem = (await response.json().catch(() => ({}))) as { error?: string; message?: string };
    throw new Error(`${response.status} ${problem.error ?? ''}: ${problem.message ?? response.statusText}`);
  }
  const actor = (await response.json()) as VerifiedActor;
  return { ...claims, user: actor.id, roles: actor.roles, unit: actor.unit, clearance: actor.clearance };
}

/** Read a JWT's claims without verifying them (verifiedSession asks the service). */
export function sessionFromToken(token: string, development: boolean): Session {
  const parts = token.trim().split('.');
  if (parts.length !== 3) throw new Error('not a JWT (expected three parts separated by dots)');
  let claims: Record<string, unknown>;
  try {
    const json = atob(parts[1].replace(/-/g, '+').replace(/_/g, '/'));
    claims = JSON.parse(new TextDecoder().decode(Uint8Array.from(json, (c) => c.charCodeAt(0))));
  } catch {
    throw new Error('the token’s claims cannot be read');
  }
  return {
    token: token.trim(),
    user: String(claims.sub ?? ''),
    roles: Array.isArray(claims.roles) ? claims.roles.map(String) : [],
    unit: String(claims.unit ?? ''),
    clearance: String(claims.clearance ?? ''),
    development,
    expiresAt: typeof claims.exp === 'number' ? claims.exp * 1000 : undefined,
  };
}

export function loadSession(): Session | undefined {
  const raw = sessionStorage.getItem(KEY);
  if (raw === null) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (session.expiresAt !== undefined && session.expiresAt < Date.now()) return undefined;
    return session;
  } catch {
    return undefined;
  }
}

export function saveSession(session: Session | undefined): void {
  if (session === undefined) sessionStorage.removeItem(KEY);
  else sessionStorage.setItem(KEY, JSON.stringify(session));
}

export function hasRole(session: Session | undefined, ...roles: string[]): boolean {
  return session !== undefined && roles.some((role) => session.roles.includes(role));
}
