import { createPublicKey } from 'node:crypto';
import { promises as fs } from 'node:fs';
import {
  createRemoteJWKSet,
  decodeProtectedHeader,
  importSPKI,
  jwtVerify,
  type JWTPayload,
  type JWTVerifyGetKey,
  type JWTVerifyOptions,
  type KeyObject,
} from 'jose';
import type { Actor } from '../domain-kernel/actor';
import type { AppConfig } from '../config/config';
import { systemClock, type Clock } from '../clock/clock';
import { actorFromClaims } from './actor-claims';
import { AuthenticationError, AuthSetupError, IdentityProviderUnavailableError } from './auth.errors';
import { loadOrCreateSigningKey } from './signing-key';

/** Checks a request's bearer token and returns who is acting. */
export interface TokenVerifier {
  /** @throws AuthenticationError saying exactly what is wrong with the credentials. */
  verify(authorizationHeader: string | undefined): Promise<Actor>;
}

export const TOKEN_VERIFIER = Symbol('TOKEN_VERIFIER');

export interface TokenVerifierOptions {
  /** The verifier's notion of now (exp/nbf/iat checks). */
  readonly clock?: Clock;
  /** Allowed clock skew between the issuer and this service, in seconds. Default 30. */
  readonly clockToleranceSeconds?: number;
}

/** Algorithms accepted from an external issuer (AUTH_MODE=jwks). */
export const EXTERNAL_ALGORITHMS = ['RS256', 'ES256', 'EdDSA'] as const;

type StaticKey = KeyObject | Awaited<ReturnType<typeof importSPKI>>;
type VerificationKey = StaticKey | JWTVerifyGetKey;

export async function createTokenVerifier(
  config: AppConfig,
  options: TokenVerifierOptions = {},
): Promise<TokenVerifier> {
  const { key, algorithms } = await verificationKey(config);
  const clock = options.clock ?? systemClock;
  const clockTolerance = options.clockToleranceSeconds ?? 30;
  return {
    async verify(authorizationHeader) {
      const token = bearerToken(authorizationHeader);
      const verifyOptions: JWTVerifyOptions = {
        issuer: config.jwtIssuer,
        audience: config.jwtAudience,
        algorithms: [...algorithms],
        requiredClaims: ['exp'],
        clockTolerance,
        currentDate: clock.now(),
      };
      let payload: JWTPayload;
      try {
        payload = (await jwtVerify(token, key, verifyOptions)).payload;
      } catch (error) {
        throw explain(error, token, config, algorithms);
      }
      return actorFromClaims(payload);
    },
  };
}

async function verificationKey(
  config: AppConfig,
): Promise<{ key: VerificationKey; algorithms: readonly string[] }> {
  switch (config.authMode) {
    case 'embedded': {
      const signingKey = await loadOrCreateSigningKey(config.dataDir);
      return { key: signingKey.publicKey, algorithms: ['EdDSA'] };
    }
    case 'jwks': {
      if (config.jwksUrl === undefined) throw new AuthSetupError('JWKS_URL is required when AUTH_MODE=jwks');
      return { key: createRemoteJWKSet(new URL(config.jwksUrl)), algorithms: EXTERNAL_ALGORITHMS };
    }
    case 'public-key':
      return publicKeyFromFile(config.jwtPublicKeyFile);
  }
}

/** Reads a PEM public key and picks the one algorithm it can verify. */
async function publicKeyFromFile(
  file: string | undefined,
): Promise<{ key: StaticKey; algorithms: readonly string[] }> {
  if (file === undefined)
    throw new AuthSetupError('JWT_PUBLIC_KEY_FILE is required when AUTH_MODE=public-key');
  let pem: string;
  try {
    pem = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new AuthSetupError(`JWT_PUBLIC_KEY_FILE=${file}: cannot read it: ${(error as Error).message}`);
  }
  let keyObject;
  try {
    keyObject = createPublicKey(pem);
  } catch (error) {
    throw new AuthSetupError(
      `JWT_PUBLIC_KEY_FILE=${file}: not a PEM public key: ${(error as Error).message}`,
    );
  }
  const type = keyObject.asymmetricKeyType;
  const curve = keyObject.asymmetricKeyDetails?.namedCurve;
  const alg =
    type === 'rsa'
      ? 'RS256'
      : type === 'ec' && curve === 'prime256v1'
        ? 'ES256'
        : type === 'ed25519'
          ? 'EdDSA'
          : undefined;
  if (alg === undefined) {
    throw new AuthSetupError(
      `JWT_PUBLIC_KEY_FILE=${file}: key type ${type}${curve ? ` (${curve})` : ''} is not supported; ` +
        'expected RSA (RS256), EC P-256 (ES256) or Ed25519 (EdDSA)',
    );
  }
  const spki = keyObject.export({ type: 'spki', format: 'pem' }).toString();
  return { key: await importSPKI(spki, alg), algorithms: [alg] };
}

/** Extracts the token from `Authorization: Bearer <token>` (RFC 6750 §2.1; the scheme is case-insensitive). */
function bearerToken(header: string | undefined): string {
  const value = header?.trim() ?? '';
  if (value === '') throw new AuthenticationError('missing bearer token', 'missing');
  const [scheme, ...rest] = value.split(/\s+/);
  if (scheme.toLowerCase() !== 'bearer') {
    throw new AuthenticationError('authorization header must use the Bearer scheme', 'missing');
  }
  if (rest.length === 0) throw new AuthenticationError('missing bearer token', 'missing');
  if (rest.length > 1) throw new AuthenticationError('malformed bearer token: it contains spaces');
  return rest[0];
}

/** Turns a jose error into a message that says what is wrong with the token. */
function explain(
  error: unknown,
  token: string,
  config: AppConfig,
  algorithms: readonly string[],
): AuthenticationError | IdentityProviderUnavailableError {
  if (error instanceof AuthenticationError) return error;
  const { code, claim, reason, message } = error as {
    code?: string;
    claim?: string;
    reason?: string;
    message?: string;
  };
  switch (code) {
    case 'ERR_JWT_EXPIRED':
      return new AuthenticationError(claim === 'iat' ? 'token too old' : 'token expired');
    case 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED':
      return new AuthenticationError('token signature invalid');
    case 'ERR_JWT_CLAIM_VALIDATION_FAILED':
      if (reason === 'missing') return new AuthenticationError(`token has no ${claim} claim`);
      if (claim === 'iss')
        return new AuthenticationError(`token issuer must be ${JSON.stringify(config.jwtIssuer)}`);
      if (claim === 'aud')
        return new AuthenticationError(`token audience must include ${JSON.stringify(config.jwtAudience)}`);
      if (claim === 'nbf') return new AuthenticationError('token not yet valid');
      if (claim === 'iat') return new AuthenticationError('token issued in the future');
      return new AuthenticationError(`claim ${claim} invalid: ${message}`);
    case 'ERR_JOSE_ALG_NOT_ALLOWED':
      return new AuthenticationError(
        `token algorithm ${headerAlg(token)} not accepted (expected ${algorithms.join(', ')})`,
      );
    case 'ERR_JWS_INVALID':
    case 'ERR_JWT_INVALID':
      return new AuthenticationError(`token malformed: ${message}`);
    case 'ERR_JWKS_NO_MATCHING_KEY':
      return new AuthenticationError("token signature invalid: no key of the issuer matches the token's kid");
    case 'ERR_JWKS_MULTIPLE_MATCHING_KEYS':
      return new AuthenticationError('token kid is ambiguous: several keys of the issuer match it');
    case 'ERR_JWKS_TIMEOUT':
      return new IdentityProviderUnavailableError(
        "cannot check tokens: the issuer's key set (JWKS_URL) timed out",
      );
    case 'ERR_JWKS_INVALID':
      return new AuthenticationError("cannot check token: the issuer's key set (JWKS) is invalid");
    case 'ERR_JOSE_NOT_SUPPORTED':
      return new AuthenticationError(`token uses an unsupported algorithm or key: ${message}`);
    default:
      // Not a JOSE error: with a remote key set that is the fetch itself failing (network, TLS, HTTP status).
      if (config.authMode === 'jwks' && code === undefined) {
        return new IdentityProviderUnavailableError(
          `cannot check tokens: the issuer's key set (JWKS_URL) is unreachable: ${message ?? String(error)}`,
        );
      }
      return new AuthenticationError(`token rejected: ${message ?? String(error)}`);
  }
}

function headerAlg(token: string): string {
  try {
    return JSON.stringify(decodeProtectedHeader(token).alg ?? null);
  } catch {
    return '(unreadable)';
  }
}
