import { createPrivateKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';

/**
 * The checkpoint signing key on disk. Embedded default: `DATA_DIR/keys/checkpoint-signing.jwk.json`
 * (an Ed25519 JWK with its private part, mode 0600, directory 0700), generated on first start. Or a
 * configured file (`SEAL_KEY_FILE`: JWK JSON or PKCS#8 PEM) that an operator manages.
 *
 * Rotation writes the new key next to the current one (`…next.jwk.json`), records the rotation
 * event, then renames it into place; a crash in between is finished or undone on the next start
 * by comparing with the last recorded rotation (see SealerService).
 */
export class SealingKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SealingKeyError';
  }
}

export interface SealingKeyLocation {
  readonly file: string;
  /** True for SEAL_KEY_FILE: the operator manages it, the service never writes it. */
  readonly external: boolean;
}

export function sealingKeyLocation(dataDir: string, keyFile?: string): SealingKeyLocation {
  return keyFile
    ? { file: path.resolve(keyFile), external: true }
    : { file: path.join(dataDir, 'keys', 'checkpoint-signing.jwk.json'), external: false };
}

export function nextKeyFile(location: SealingKeyLocation): string {
  return location.file.replace(/\.jwk\.json$/, '.next.jwk.json');
}

function parseKey(file: string, content: string): KeyObject {
  let key: KeyObject;
  try {
    key = content.trimStart().startsWith('{')
      ? createPrivateKey({ key: JSON.parse(content) as import('node:crypto').JsonWebKey, format: 'jwk' })
      : createPrivateKey(content);
  } catch (error) {
    throw new SealingKeyError(`cannot read the checkpoint signing key ${file}: ${(error as Error).message}`);
  }
  if (key.asymmetricKeyType !== 'ed25519') {
    throw new SealingKeyError(`the checkpoint signing key ${file} is not an Ed25519 private key`);
  }
  return key;
}

async function readIfExists(file: string): Promise<string | undefined> {
  try {
    return await fs.readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new SealingKeyError(`cannot read the checkpoint signing key ${file}: ${(error as Error).message}`);
  }
}

/** Write a new key to `file` (mode 0600) without ever leaving a half-written file in its place. */
async function writeNewKey(file: string, key: KeyObject, replace: boolean): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temp = `${file}.${process.pid}.${randomUUID()}.tmp`;
  const handle = await fs.open(temp, 'wx', 0o600);
  try {
    await handle.writeFile(JSON.stringify(key.export({ format: 'jwk' })));
    await handle.sync();
  } finally {
    await handle.close();
  }
  try {
    if (replace) await fs.rename(temp, file);
    else await fs.link(temp, file); // fails if another start created it first
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  } finally {
    await fs.rm(temp, { force: true });
  }
}

/** The current key; generated on first start unless the key is managed externally. */
export async function loadOrCreateSealingKey(location: SealingKeyLocation): Promise<KeyObject> {
  const existing = await readIfExists(location.file);
  if (existing !== undefined) return parseKey(location.file, existing);
  if (location.external) throw new SealingKeyError(`SEAL_KEY_FILE ${location.file} does not exist`);
  await writeNewKey(location.file, generateKeyPairSync('ed25519').privateKey, false);
  const created = await readIfExists(location.file);
  if (created === undefined) throw new SealingKeyError(`the new signing key ${location.file} vanished`);
  return parseKey(location.file, created);
}

/** A key prepared by an unfinished rotation, if any. */
export async function readNextKey(location: SealingKeyLocation): Promise<KeyObject | undefined> {
  const content = await readIfExists(nextKeyFile(location));
  return content === undefined ? undefined : parseKey(nextKeyFile(location), content);
}

/** Step 1 of a rotation: generate the next key beside the current one. */
export async function prepareNextKey(location: SealingKeyLocation): Promise<KeyObject> {
  if (location.external) throw new SealingKeyError('the signing key is managed externally (SEAL_KEY_FILE)');
  const key = generateKeyPairSync('ed25519').privateKey;
  await writeNewKey(nextKeyFile(location), key, true);
  return key;
}

/** Step 3 of a rotation (after the event is recorded): the next key replaces the current one. */
export async function commitNextKey(location: SealingKeyLocation): Promise<void> {
  await fs.rename(nextKeyFile(location), location.file);
}

/** Undo step 1 (the rotation was not recorded). */
export async function discardNextKey(location: SealingKeyLocation): Promise<void> {
  await fs.rm(nextKeyFile(location), { force: true });
}
