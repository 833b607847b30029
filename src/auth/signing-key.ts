import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  randomUUID,
  type KeyObject,
} from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { calculateJwkThumbprint, type JWK } from 'jose';
import { AuthSetupError } from './auth.errors';

/** The Ed25519 key the embedded mode signs and verifies tokens with. */
export interface SigningKey {
  /** Key id: the RFC 7638 thumbprint of the public key; sent as the `kid` token header. */
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
  /** Public half only, e.g. for publishing in a JWKS document. */
  readonly publicJwk: JWK;
}

interface StoredKey {
  readonly kty: 'OKP';
  readonly crv: 'Ed25519';
  readonly x: string;
  readonly d: string;
  readonly kid: string;
  readonly alg: 'EdDSA';
  readonly use: 'sig';
}

export function signingKeyPath(dataDir: string): string {
  return path.join(dataDir, 'keys', 'token-signing.jwk.json');
}

/**
 * Loads the signing key from `${dataDir}/keys/token-signing.jwk.json`, generating it on first use.
 * Safe against concurrent first starts: each writer prepares a complete temp file and `link`s it
 * into place, which fails if the file already exists; everyone then reads the one file that won.
 */
export async function loadOrCreateSigningKey(dataDir: string): Promise<SigningKey> {
  const file = signingKeyPath(dataDir);
  const existing = await readIfExists(file);
  if (existing !== undefined) return parseKey(file, existing);
  await createKeyFile(file);
  const created = await readIfExists(file);
  if (created === undefined)
    throw new AuthSetupError(`signing key ${file} vanished right after it was created`);
  return parseKey(file, created);
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new AuthSetupError(`cannot read signing key ${file}: ${(error as Error).message}`);
  }
}

async function createKeyFile(file: string): Promise<void> {
  const dir = path.dirname(file);
  try {
    await fs.mkdir(dir, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new AuthSetupError(`cannot create key directory ${dir}: ${(error as Error).message}`);
  }
  const { privateKey } = generateKeyPairSync('ed25519');
  const jwk = privateKey.export({ format: 'jwk' });
  if (jwk.x === undefined || jwk.d === undefined)
    throw new AuthSetupError('generated Ed25519 key has no x/d');
  const kid = await calculateJwkThumbprint({ kty: 'OKP', crv: 'Ed25519', x: jwk.x });
  const stored: StoredKey = { kty: 'OKP', crv: 'Ed25519', x: jwk.x, d: jwk.d, kid, alg: 'EdDSA', use: 'sig' };

  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  try {
    const handle = await fs.open(temp, 'wx', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify(stored, null, 2)}\n`, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    try {
      await fs.link(temp, file);
    } catch (error) {
      // Another process created the key first: keep theirs.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    await syncDirectory(dir);
  } catch (error) {
    throw new AuthSetupError(`cannot write signing key ${file}: ${(error as Error).message}`);
  } finally {
    await fs.rm(temp, { force: true });
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the key file itself is already synced.
  } finally {
    await handle.close();
  }
}

function parseKey(file: string, text: string): SigningKey {
  let stored: Partial<StoredKey>;
  try {
    stored = JSON.parse(text) as Partial<StoredKey>;
  } catch {
    throw new AuthSetupError(`signing key ${file} is not valid JSON`);
  }
  if (
    stored.kty !== 'OKP' ||
    stored.crv !== 'Ed25519' ||
    typeof stored.x !== 'string' ||
    typeof stored.d !== 'string' ||
    typeof stored.kid !== 'string' ||
    stored.kid === ''
  ) {
    throw new AuthSetupError(`signing key ${file} is not an Ed25519 private JWK with a kid`);
  }
  try {
    const privateKey = createPrivateKey({
      key: { kty: 'OKP', crv: 'Ed25519', x: stored.x, d: stored.d },
      format: 'jwk',
    });
    const publicKey = createPublicKey(privateKey);
    if (publicKey.export({ format: 'jwk' }).x !== stored.x)
      throw new Error('x does not match the private key d');
    const publicJwk: JWK = {
      kty: 'OKP',
      crv: 'Ed25519',
      x: stored.x,
      kid: stored.kid,
      alg: 'EdDSA',
      use: 'sig',
    };
    return { kid: stored.kid, alg: 'EdDSA', privateKey, publicKey, publicJwk };
  } catch (error) {
    throw new AuthSetupError(`signing key ${file} is unusable: ${(error as Error).message}`);
  }
}
