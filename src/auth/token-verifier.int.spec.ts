import { generateKeyPairSync } from 'node:crypto';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import { promises as fs, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SignJWT, type JWTPayload } from 'jose';
import { FixedClock } from '../clock/clock';
import { loadConfig, type AppConfig } from '../config/config';
import { AuthenticationError, AuthSetupError, IdentityProviderUnavailableError } from './auth.errors';
import { mintToken } from './mint-token';
import { loadOrCreateSigningKey, signingKeyPath } from './signing-key';
import { createTokenVerifier } from './token-verifier';

function tempDataDir(): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'archive-ledger-auth-'));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

function embeddedConfig(dataDir: string, env: Record<string, string> = {}): AppConfig {
  return loadConfig({ DATA_DIR: dataDir, ...env });
}

/** Signs any claims with the embedded key, bypassing mintToken's input checks. */
async function signWithEmbeddedKey(config: AppConfig, claims: JWTPayload): Promise<string> {
  const key = await loadOrCreateSigningKey(config.dataDir);
  return new SignJWT(claims)
    .setProtectedHeader({ alg: 'EdDSA', kid: key.kid })
    .setIssuer(config.jwtIssuer)
    .setAudience(config.jwtAudience)
    .setExpirationTime('1h')
    .sign(key.privateKey);
}

const archivist = { user: 'u-1001', roles: ['archivist', 'borrower'], unit: '档案室', clearance: 'SECRET' };

describe('token verifier (embedded mode)', () => {
  let data: ReturnType<typeof tempDataDir>;
  beforeEach(() => (data = tempDataDir()));
  afterEach(() => data.remove());

  async function refusal(promise: Promise<unknown>): Promise<AuthenticationError> {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(AuthenticationError);
    return error as AuthenticationError;
  }

  it('verifies a minted token to the actor named in it', async () => {
    const config = embeddedConfig(data.dir);
    const token = await mintToken(config, archivist);
    const verifier = await createTokenVerifier(config);

    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({
      id: 'u-1001',
      roles: ['archivist', 'borrower'],
      unit: '档案室',
      clearance: 'SECRET',
    });
    // The scheme is case-insensitive (RFC 7235).
    await expect(verifier.verify(`bearer ${token}`)).resolves.toMatchObject({ id: 'u-1001' });
  });

  it('refuses a request without a bearer token', async () => {
    const verifier = await createTokenVerifier(embeddedConfig(data.dir));
    for (const header of [undefined, '', 'Bearer', 'Bearer   ']) {
      const error = await refusal(verifier.verify(header));
      expect(error.message).toBe('missing bearer token');
      expect(error.kind).toBe('missing');
    }
    expect((await refusal(verifier.verify('Basic dXNlcjpwYXNz'))).message).toBe(
      'authorization header must use the Bearer scheme',
    );
    expect((await refusal(verifier.verify('Bearer not-a-jwt'))).message).toMatch(/^token malformed: /);
  });

  it('refuses a token whose payload was altered after signing', async () => {
    const config = embeddedConfig(data.dir);
    const [header, payload, signature] = (await mintToken(config, archivist)).split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
    const escalated = Buffer.from(JSON.stringify({ ...claims, roles: ['administrator'] })).toString(
      'base64url',
    );
    const verifier = await createTokenVerifier(config);

    const error = await refusal(verifier.verify(`Bearer ${header}.${escalated}.${signature}`));
    expect(error.message).toBe('token signature invalid');
    expect(error.kind).toBe('invalid');
  });

  it('refuses a token with a corrupted signature', async () => {
    const config = embeddedConfig(data.dir);
    const token = await mintToken(config, archivist);
    const at = token.lastIndexOf('.') + 10;
    const corrupted = token.slice(0, at) + (token[at] === 'A' ? 'B' : 'A') + token.slice(at + 1);
    const verifier = await createTokenVerifier(config);

    expect((await refusal(verifier.verify(`Bearer ${corrupted}`))).message).toBe('token signature invalid');
  });

  it("refuses a token signed by another installation's key", async () => {
    const other = tempDataDir();
    try {
      const foreign = await mintToken(embeddedConfig(other.dir), archivist);
      const verifier = await createTokenVerifier(embeddedConfig(data.dir));
      expect((await refusal(verifier.verify(`Bearer ${foreign}`))).message).toBe('token signature invalid');
    } finally {
      other.remove();
    }
  });

  it('refuses an expired token, judged by the injected clock', async () => {
    const config = embeddedConfig(data.dir);
    const clock = new FixedClock(new Date('2025-03-01T08:00:00Z'));
    const token = await mintToken(config, { ...archivist, ttl: '1s' }, { clock });
    const verifier = await createTokenVerifier(config, { clock, clockToleranceSeconds: 0 });

    await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({ id: 'u-1001' });
    clock.advance(2_000);
    expect((await refusal(verifier.verify(`Bearer ${token}`))).message).toBe('token expired');
  });

  it('refuses a token for another issuer or audience', async () => {
    const config = embeddedConfig(data.dir);
    const verifier = await createTokenVerifier(config);
    const otherIssuer = await mintToken(embeddedConfig(data.dir, { JWT_ISSUER: 'someone-else' }), archivist);
    const otherAudience = await mintToken(embeddedConfig(data.dir, { JWT_AUDIENCE: 'payroll' }), archivist);

    expect((await refusal(verifier.verify(`Bearer ${otherIssuer}`))).message).toBe(
      'token issuer must be "archive-ledger"',
    );
    expect((await refusal(verifier.verify(`Bearer ${otherAudience}`))).message).toBe(
      'token audience must include "archive-ledger"',
    );
  });

  it('refuses tokens whose application claims are wrong, naming the claim', async () => {
    const config = embeddedConfig(data.dir);
    const verifier = await createTokenVerifier(config);
    const valid = { sub: 'u-1', roles: ['archivist'], unit: '档案室', clearance: 'INTERNAL' };
    const message = async (claims: Record<string, unknown>): Promise<string> =>
      (await refusal(verifier.verify(`Bearer ${await signWithEmbeddedKey(config, claims)}`))).message;

    expect(await message({ ...valid, roles: ['archivist', 'janitor'] })).toBe(
      `claim roles must be an array of known roles: unknown "janitor" (known: archivist, borrower, department_head, ` +
        'archive_department_head, deputy_gm, general_manager, appraisal_committee, destruction_signatory, witness, ' +
        'security_officer, compliance_officer, auditor, administrator)',
    );
    expect(await message({ ...valid, roles: 'archivist' })).toBe(
      'claim roles must be an array of known roles: got "archivist"',
    );
    expect(await message({ ...valid, roles: [] })).toBe(
      'claim roles must be an array of known roles: the array is empty',
    );
    expect(await message({ ...valid, unit: undefined })).toBe('claim unit must be a non-empty string');
    expect(await message({ ...valid, unit: '  ' })).toBe('claim unit must be a non-empty string');
    expect(await message({ ...valid, clearance: 'ULTRA' })).toBe(
      'claim clearance must be one of PUBLIC, INTERNAL, SECRET, CONFIDENTIAL, TOP_SECRET; got "ULTRA"',
    );
    expect(await message({ ...valid, sub: undefined })).toBe('claim sub must be a non-empty string');
    expect(await message({ sub: 'u-1' })).toBe(
      'claim roles must be an array of known roles: the claim is missing; claim unit must be a non-empty string; ' +
        'claim clearance must be one of PUBLIC, INTERNAL, SECRET, CONFIDENTIAL, TOP_SECRET; got nothing',
    );
  });

  it('refuses a token without an expiry', async () => {
    const config = embeddedConfig(data.dir);
    const key = await loadOrCreateSigningKey(config.dataDir);
    const forever = await new SignJWT({ roles: ['archivist'], unit: 'u', clearance: 'PUBLIC' })
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('u-1')
      .setIssuer(config.jwtIssuer)
      .setAudience(config.jwtAudience)
      .sign(key.privateKey);
    const verifier = await createTokenVerifier(config);
    expect((await refusal(verifier.verify(`Bearer ${forever}`))).message).toBe('token has no exp claim');
  });
});

describe('embedded signing key', () => {
  let data: ReturnType<typeof tempDataDir>;
  beforeEach(() => (data = tempDataDir()));
  afterEach(() => data.remove());

  it('is created once, private to its owner, and reused by later starts', async () => {
    const first = await loadOrCreateSigningKey(data.dir);
    const file = signingKeyPath(data.dir);
    expect(file).toBe(path.join(data.dir, 'keys', 'token-signing.jwk.json'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const stored = JSON.parse(await fs.readFile(file, 'utf8'));
    expect(stored).toMatchObject({ kty: 'OKP', crv: 'Ed25519', alg: 'EdDSA', kid: first.kid });
    expect(typeof stored.d).toBe('string');

    const second = await loadOrCreateSigningKey(data.dir);
    expect(second.kid).toBe(first.kid);
    expect(second.publicJwk).toEqual(first.publicJwk);
    expect(second.publicJwk).not.toHaveProperty('d');
  });

  it('ends up as one key when many starts race to create it', async () => {
    const keys = await Promise.all(Array.from({ length: 12 }, () => loadOrCreateSigningKey(data.dir)));
    expect(new Set(keys.map((key) => key.kid)).size).toBe(1);
    expect(await fs.readdir(path.join(data.dir, 'keys'))).toEqual(['token-signing.jwk.json']);
  });

  it('keeps the key another start wrote while this one was generating its own', async () => {
    const other = tempDataDir();
    try {
      const winner = await loadOrCreateSigningKey(other.dir);
      const winnerFile = await fs.readFile(signingKeyPath(other.dir), 'utf8');
      const realOpen = fs.open.bind(fs);
      // The other start lands its key just as this one opens its temp file.
      const open = jest.spyOn(fs, 'open').mockImplementation(async (file, ...rest) => {
        if (String(file).endsWith('.tmp')) {
          await fs.mkdir(path.join(data.dir, 'keys'), { recursive: true });
          await fs.writeFile(signingKeyPath(data.dir), winnerFile, { mode: 0o600 });
        }
        return realOpen(file, ...rest);
      });
      try {
        const key = await loadOrCreateSigningKey(data.dir);
        expect(key.kid).toBe(winner.kid);
      } finally {
        open.mockRestore();
      }
      expect(await fs.readFile(signingKeyPath(data.dir), 'utf8')).toBe(winnerFile);
      expect(await fs.readdir(path.join(data.dir, 'keys'))).toEqual(['token-signing.jwk.json']);
    } finally {
      other.remove();
    }
  });

  it('stops the start with a clear message when the key file is damaged', async () => {
    await loadOrCreateSigningKey(data.dir);
    writeFileSync(signingKeyPath(data.dir), '{"kty":"OKP"');
    await expect(loadOrCreateSigningKey(data.dir)).rejects.toThrow(
      new AuthSetupError(`signing key ${signingKeyPath(data.dir)} is not valid JSON`),
    );
  });
});

describe('token verifier (public-key mode)', () => {
  let data: ReturnType<typeof tempDataDir>;
  beforeEach(() => (data = tempDataDir()));
  afterEach(() => data.remove());

  const claims = { roles: ['auditor'], unit: '审计部', clearance: 'CONFIDENTIAL' };

  function issuerKey(type: 'rsa' | 'ec' | 'ed25519') {
    const pair =
      type === 'rsa'
        ? generateKeyPairSync('rsa', { modulusLength: 2048 })
        : type === 'ec'
          ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
          : generateKeyPairSync('ed25519');
    const file = path.join(data.dir, `issuer-${type}.pem`);
    writeFileSync(file, pair.publicKey.export({ type: 'spki', format: 'pem' }));
    const config = embeddedConfig(data.dir, {
      AUTH_MODE: 'public-key',
      JWT_PUBLIC_KEY_FILE: file,
      JWT_ISSUER: 'https://sso.example',
    });
    return { privateKey: pair.privateKey, config };
  }

  it.each([
    ['rsa', 'RS256'],
    ['ec', 'ES256'],
    ['ed25519', 'EdDSA'],
  ] as const)('verifies a %s token from the configured issuer (%s)', async (type, alg) => {
    const { privateKey, config } = issuerKey(type);
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg })
      .setSubject('auditor-7')
      .setIssuer('https://sso.example')
      .setAudience(config.jwtAudience)
      .setExpirationTime('10m')
      .sign(privateKey);
    const verifier = await createTokenVerifier(config);

    await expect(verifier.verify(`Bearer ${token}`)).resolves.toEqual({
      id: 'auditor-7',
      roles: ['auditor'],
      unit: '审计部',
      clearance: 'CONFIDENTIAL',
    });
  });

  it('refuses a token whose algorithm does not fit the configured key', async () => {
    const { config } = issuerKey('rsa');
    const { privateKey: otherKey } = generateKeyPairSync('ed25519');
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'EdDSA' })
      .setSubject('auditor-7')
      .setIssuer('https://sso.example')
      .setAudience(config.jwtAudience)
      .setExpirationTime('10m')
      .sign(otherKey);
    const verifier = await createTokenVerifier(config);

    await expect(verifier.verify(`Bearer ${token}`)).rejects.toThrow(
      new AuthenticationError('token algorithm "EdDSA" not accepted (expected RS256)'),
    );
  });

  it('stops the start when the key file is missing or of an unsupported kind', async () => {
    const missing = path.join(data.dir, 'nope.pem');
    await expect(
      createTokenVerifier(
        embeddedConfig(data.dir, { AUTH_MODE: 'public-key', JWT_PUBLIC_KEY_FILE: missing }),
      ),
    ).rejects.toThrow(`JWT_PUBLIC_KEY_FILE=${missing}: cannot read it`);

    const secp384 = path.join(data.dir, 'p384.pem');
    writeFileSync(
      secp384,
      generateKeyPairSync('ec', { namedCurve: 'P-384' }).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    await expect(
      createTokenVerifier(
        embeddedConfig(data.dir, { AUTH_MODE: 'public-key', JWT_PUBLIC_KEY_FILE: secp384 }),
      ),
    ).rejects.toThrow(
      'key type ec (secp384r1) is not supported; expected RSA (RS256), EC P-256 (ES256) or Ed25519 (EdDSA)',
    );
  });
});

describe('token verifier (jwks mode, against a local key-set server)', () => {
  it("verifies tokens with the issuer's published keys, and reports the issuer unreachable as an outage", async () => {
    const data = tempDataDir();
    const issuerKey = await loadOrCreateSigningKey(data.dir);
    const server = http.createServer((_request, response) => {
      response.setHeader('content-type', 'application/json');
      response.end(
        JSON.stringify({ keys: [{ ...issuerKey.publicJwk, kid: issuerKey.kid, alg: 'EdDSA', use: 'sig' }] }),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const config = loadConfig({
      DATA_DIR: data.dir,
      AUTH_MODE: 'jwks',
      JWKS_URL: `http://127.0.0.1:${port}/jwks`,
    });
    try {
      const token = await signWithEmbeddedKey(config, {
        sub: 'li.lei',
        roles: ['borrower'],
        unit: 'SALES',
        clearance: 'INTERNAL',
      });
      const verifier = await createTokenVerifier(config);
      await expect(verifier.verify(`Bearer ${token}`)).resolves.toMatchObject({
        id: 'li.lei',
        roles: ['borrower'],
      });

      await new Promise<void>((resolve) => server.close(() => resolve()));
      const cold = await createTokenVerifier(config);
      const error = await cold.verify(`Bearer ${token}`).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(IdentityProviderUnavailableError);
      expect((error as Error).message).toMatch(/JWKS_URL\) is unreachable/);
    } finally {
      server.close();
      data.remove();
    }
  });
});
