import * as path from 'node:path';
import { ConfigError, loadConfig } from './config';

describe('configuration', () => {
  it('runs on the embedded store in ./data with no variables set', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      store: 'embedded',
      dataDir: path.resolve('./data'),
      port: 3000,
      authMode: 'embedded',
      logLevel: 'info',
    });
  });

  it('reads every variable it documents', () => {
    const config = loadConfig({
      STORE: 'eventstoredb',
      EVENTSTORE_URL: 'esdb://eventstore:2113?tls=false',
      MONGODB_URL: 'mongodb://mongo:27017/archive?replicaSet=rs0',
      DATA_DIR: '/var/lib/archive-ledger',
      PORT: '8080',
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
      AUTH_MODE: 'jwks',
      JWKS_URL: 'https://id.example.test/.well-known/jwks.json',
      JWT_ISSUER: 'https://id.example.test',
      JWT_AUDIENCE: 'archive',
      BODY_LIMIT_BYTES: '2048',
      COMMAND_RETRIES: '3',
    });
    expect(config).toMatchObject({
      store: 'eventstoredb',
      eventStoreUrl: 'esdb://eventstore:2113?tls=false',
      mongodbUrl: 'mongodb://mongo:27017/archive?replicaSet=rs0',
      dataDir: '/var/lib/archive-ledger',
      port: 8080,
      host: '127.0.0.1',
      logLevel: 'warn',
      authMode: 'jwks',
      jwksUrl: 'https://id.example.test/.well-known/jwks.json',
      jwtIssuer: 'https://id.example.test',
      jwtAudience: 'archive',
      bodyLimitBytes: 2048,
      commandRetries: 3,
    });
  });

  it('names every bad variable and what was expected, one line each', () => {
    let error: unknown;
    try {
      loadConfig({ STORE: 'postgres', PORT: '80a', LOG_LEVEL: 'loud', MONGODB_URL: 'localhost:27017' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect([...(error as ConfigError).problems].sort()).toEqual([
      'LOG_LEVEL="loud": expected one of fatal, error, warn, info, debug, trace, silent',
      'MONGODB_URL="localhost:27017": expected a connection string such as mongodb://localhost:27017/archive?replicaSet=rs0 or mongodb://a:27017,b:27017,c:27017/archive?replicaSet=rs0',
      'PORT="80a": expected a whole number from 0 to 65535',
      'STORE="postgres": expected one of embedded, eventstoredb',
    ]);
  });

  it('accepts a KurrentDB cluster connection string with several hosts, and refuses other schemes', () => {
    const cluster = 'kurrentdb+discover://a.example:2113,b.example:2113,c.example:2113?tls=true';
    const mongo = 'mongodb://a.example:27017,b.example:27017/archive?replicaSet=rs0';
    expect(loadConfig({ STORE: 'eventstoredb', EVENTSTORE_URL: cluster, MONGODB_URL: mongo })).toMatchObject({
      eventStoreUrl: cluster,
      readStore: 'mongodb',
      mongodbUrl: mongo,
    });
    expect(() => loadConfig({ STORE: 'eventstoredb', EVENTSTORE_URL: 'http://localhost:2113' })).toThrow(
      /EVENTSTORE_URL="http:\/\/localhost:2113": expected a connection string such as kurrentdb:\/\/host:2113/,
    );
  });

  it('keeps the read models in MongoDB when the events are in EventStoreDB, and requires MONGODB_URL for them', () => {
    expect(() => loadConfig({ STORE: 'eventstoredb', EVENTSTORE_URL: 'kurrentdb://h:2113' })).toThrow(
      /MONGODB_URL: required when READ_STORE=mongodb/,
    );
    expect(() =>
      loadConfig({ STORE: 'eventstoredb', EVENTSTORE_URL: 'kurrentdb://h:2113', READ_STORE: 'embedded' }),
    ).toThrow(/READ_STORE=embedded: needs STORE=embedded/);
    expect(loadConfig({}).readStore).toBe('embedded');
  });

  it('requires EVENTSTORE_URL when STORE=eventstoredb', () => {
    expect(() => loadConfig({ STORE: 'eventstoredb' })).toThrow(
      /EVENTSTORE_URL: required when STORE=eventstoredb/,
    );
  });

  it('requires the issuer settings that an external AUTH_MODE needs', () => {
    expect(() => loadConfig({ AUTH_MODE: 'jwks' })).toThrow(/JWKS_URL: required when AUTH_MODE=jwks/);
    expect(() => loadConfig({ AUTH_MODE: 'public-key' })).toThrow(/JWT_PUBLIC_KEY_FILE: required/);
  });

  it('offers the console development sign-in only with the embedded issuer, and lets it be turned off', () => {
    expect(loadConfig({}).devSignIn).toBe(true);
    expect(loadConfig({ DEV_SIGN_IN: 'off' }).devSignIn).toBe(false);
    expect(
      loadConfig({ AUTH_MODE: 'public-key', JWT_PUBLIC_KEY_FILE: '/k.pem', DEV_SIGN_IN: 'on' }).devSignIn,
    ).toBe(false);
    expect(() => loadConfig({ DEV_SIGN_IN: 'yes' })).toThrow(/DEV_SIGN_IN="yes": expected one of on, off/);
  });
});
