import * as path from 'node:path';

/**
 * Typed configuration, read once from the environment and validated at start.
 * A bad value stops the start with one line per variable naming it and what was expected.
 */
export type StoreKind = 'embedded' | 'eventstoredb';
export type ReadStoreKind = 'embedded' | 'mongodb';
export type AuthMode = 'embedded' | 'jwks' | 'public-key';
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  /** Event store adapter: `embedded` (SQLite file under DATA_DIR, default) or `eventstoredb`. */
  readonly store: StoreKind;
  /** Where the embedded store, its signing keys and other local state live. */
  readonly dataDir: string;
  /** KurrentDB/EventStoreDB connection string, required when STORE=eventstoredb. */
  readonly eventStoreUrl?: string;
  /** Read-model store: `embedded` (tables in the embedded store's SQLite file) or `mongodb`. */
  readonly readStore: ReadStoreKind;
  /** MongoDB connection string (a replica set: projections commit in transactions), required when READ_STORE=mongodb. */
  readonly mongodbUrl?: string;
  /** How long a query with `?after=` waits for the read models to pass that position before answering 503. */
  readonly projectionWaitMs: number;
  /** Events the projector applies per committed batch. */
  readonly projectionBatchSize: number;
  readonly host: string;
  readonly port: number;
  readonly logLevel: LogLevel;
  /** `embedded`: tokens signed with a key generated in DATA_DIR; `jwks`/`public-key`: a configured issuer. */
  readonly authMode: AuthMode;
  readonly jwtIssuer: string;
  readonly jwtAudience: string;
  readonly jwksUrl?: string;
  readonly jwtPublicKeyFile?: string;
  /** Largest accepted request body, in bytes. */
  readonly bodyLimitBytes: number;
  /** How many times the command shell retries a decision after a concurrent append. */
  readonly commandRetries: number;
  /** Audit sealer (docs/audit.md): sign a checkpoint once this many events are unsigned… */
  readonly sealEveryEvents: number;
  /** …or, when any are, this often (ms). */
  readonly sealEveryMs: number;
  /** Events the sealer appends to the Merkle tree per committed batch. */
  readonly sealBatchSize: number;
  /** The log's origin line, also the checkpoint key's name (no spaces, no '+'). */
  readonly sealOrigin: string;
  /** Ed25519 checkpoint signing key (JWK JSON or PKCS#8 PEM); default: generated in DATA_DIR/keys. */
  readonly sealKeyFile?: string;
  /**
   * Leases (one sealer, one projector at a time across instances): a holder that does not renew
   * within this many ms loses its lease to another instance. Renewed every third of it.
   */
  readonly leaseTtlMs: number;
  /** This instance's name in the leases (default host:pid:random), shown on /health/ready. */
  readonly leaseOwner?: string;
  /**
   * The console's development sign-in (`POST /auth/dev-sign-in` mints a token for a demo user).
   * On by default with AUTH_MODE=embedded (`DEV_SIGN_IN=off` turns it off); never with an external issuer.
   */
  readonly devSignIn: boolean;
}

export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

type Env = Readonly<Record<string, string | undefined>>;

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

export function loadConfig(env: Env = process.env): AppConfig {
  const problems: string[] = [];
  const text = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === '' ? undefined : value;
  };
  function oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = text(name);
    if (value === undefined) return fallback;
    if ((allowed as readonly string[]).includes(value)) return value as T;
    problems.push(`${name}=${JSON.stringify(value)}: expected one of ${allowed.join(', ')}`);
    return fallback;
  }
  function integer(name: string, fallback: number, min: number, max: number): number {
    const value = text(name);
    if (value === undefined) return fallback;
    if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
      problems.push(`${name}=${JSON.stringify(value)}: expected a whole number from ${min} to ${max}`);
      return fallback;
    }
    return Number(value);
  }
  function url(name: string, protocols: readonly string[]): string | undefined {
    const value = text(name);
    if (value === undefined) return undefined;
    try {
      const parsed = new URL(value);
      if (!protocols.includes(parsed.protocol)) throw new Error('protocol');
      return value;
    } catch {
      problems.push(
        `${name}=${JSON.stringify(value)}: expected a URL starting with ${protocols.map((p) => `${p}//`).join(' or ')}`,
      );
      return undefined;
    }
  }

  /** Connection strings may list several hosts (a cluster), which URL parsing refuses: check the scheme and a host. */
  function connectionString(name: string, shape: RegExp, example: string): string | undefined {
    const value = text(name);
    if (value === undefined) return undefined;
    if (shape.test(value)) return value;
    problems.push(`${name}=${JSON.stringify(value)}: expected a connection string such as ${example}`);
    return undefined;
  }

  /** A signed-note key name: non-empty, no spaces, no '+'. */
  function keyName(name: string, fallback: string): string {
    const value = text(name);
    if (value === undefined) return fallback;
    if (/^[\x21-\x2a\x2c-\x7e]{1,200}$/.test(value)) return value;
    problems.push(
      `${name}=${JSON.stringify(value)}: expected a name without spaces or '+', such as ${fallback}`,
    );
    return fallback;
  }

  const store = oneOf<StoreKind>('STORE', ['embedded', 'eventstoredb'], 'embedded');
  const eventStoreUrl = connectionString(
    'EVENTSTORE_URL',
    /^(kurrentdb|kurrent|kdb|esdb)(\+discover)?:\/\/[^/?#\s]+/,
    'kurrentdb://host:2113?tls=false or kurrentdb://a:2113,b:2113,c:2113',
  );
  if (store === 'eventstoredb' && eventStoreUrl === undefined && text('EVENTSTORE_URL') === undefined) {
    problems.push(
      'EVENTSTORE_URL: required when STORE=eventstoredb (e.g. kurrentdb://localhost:2113?tls=false)',
    );
  }
  const readStore = oneOf<ReadStoreKind>(
    'READ_STORE',
    ['embedded', 'mongodb'],
    store === 'embedded' ? 'embedded' : 'mongodb',
  );
  if (readStore === 'embedded' && store !== 'embedded') {
    problems.push(
      "READ_STORE=embedded: needs STORE=embedded (the read models live in the embedded store's file)",
    );
  }
  if (readStore === 'mongodb' && text('MONGODB_URL') === undefined) {
    problems.push(
      'MONGODB_URL: required when READ_STORE=mongodb (e.g. mongodb://localhost:27017/archive?replicaSet=rs0)',
    );
  }
  const authMode = oneOf<AuthMode>('AUTH_MODE', ['embedded', 'jwks', 'public-key'], 'embedded');
  const jwksUrl = url('JWKS_URL', ['https:', 'http:']);
  const jwtPublicKeyFile = text('JWT_PUBLIC_KEY_FILE');
  if (authMode === 'jwks' && jwksUrl === undefined && text('JWKS_URL') === undefined) {
    problems.push("JWKS_URL: required when AUTH_MODE=jwks (the issuer's JWKS endpoint)");
  }
  if (authMode === 'public-key' && jwtPublicKeyFile === undefined) {
    problems.push('JWT_PUBLIC_KEY_FILE: required when AUTH_MODE=public-key (path to a PEM public key)');
  }

  const config: AppConfig = {
    store,
    dataDir: path.resolve(text('DATA_DIR') ?? './data'),
    eventStoreUrl,
    readStore,
    mongodbUrl: connectionString(
      'MONGODB_URL',
      /^mongodb(\+srv)?:\/\/[^/?#\s]+/,
      'mongodb://localhost:27017/archive?replicaSet=rs0 or mongodb://a:27017,b:27017,c:27017/archive?replicaSet=rs0',
    ),
    projectionWaitMs: integer('PROJECTION_WAIT_MS', 5000, 0, 60_000),
    projectionBatchSize: integer('PROJECTION_BATCH_SIZE', 1000, 1, 100_000),
    host: text('HOST') ?? '0.0.0.0',
    port: integer('PORT', 3000, 0, 65535),
    logLevel: oneOf<LogLevel>('LOG_LEVEL', LOG_LEVELS, 'info'),
    authMode,
    jwtIssuer: text('JWT_ISSUER') ?? 'archive-ledger',
    jwtAudience: text('JWT_AUDIENCE') ?? 'archive-ledger',
    jwksUrl,
    jwtPublicKeyFile,
    bodyLimitBytes: integer('BODY_LIMIT_BYTES', 1_048_576, 1024, 104_857_600),
    commandRetries: integer('COMMAND_RETRIES', 5, 0, 100),
    sealEveryEvents: integer('SEAL_EVERY_EVENTS', 1000, 1, 10_000_000),
    sealEveryMs: integer('SEAL_EVERY_MS', 5000, 100, 86_400_000),
    sealBatchSize: integer('SEAL_BATCH_SIZE', 1000, 1, 100_000),
    sealOrigin: keyName('SEAL_ORIGIN', 'archive-ledger.local/log'),
    sealKeyFile: text('SEAL_KEY_FILE'),
    leaseTtlMs: integer('LEASE_TTL_MS', 15_000, 300, 600_000),
    leaseOwner: text('LEASE_OWNER'),
    devSignIn: oneOf<'on' | 'off'>('DEV_SIGN_IN', ['on', 'off'], 'on') === 'on' && authMode === 'embedded',
  };
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

export const APP_CONFIG = Symbol('APP_CONFIG');
