import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as ed25519Sign,
  verify as ed25519Verify,
  type KeyObject,
} from 'node:crypto';

/**
 * Ed25519 keys of C2SP signed notes (https://c2sp.org/signed-note): the key id, and the text forms
 * the Go reference (golang.org/x/mod/sumdb/note) uses:
 * - verifier key `<name>+<hex key id>+<base64(0x01 ‖ 32-byte public key)>`, safe to publish;
 * - signer key `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ 32-byte seed)>`, secret.
 */
export const ED25519_SIGNATURE_TYPE = 0x01;

export class NoteKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NoteKeyError';
  }
}

/** A key name is non-empty, printable, and has no spaces or '+' (signed-note §Format). */
export function isValidKeyName(name: string): boolean {
  return (
    name.length > 0 &&
    !/[\s+]/u.test(name) &&
    ![...name].some((c) => c.charCodeAt(0) < 0x20 || c === '\u007f')
  );
}

/** key id = first 4 bytes (big-endian uint32) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  const digest = createHash('sha256')
    .update(Buffer.from(`${name}\n`, 'utf8'))
    .update(Buffer.from([ED25519_SIGNATURE_TYPE]))
    .update(publicKey)
    .digest();
  return digest.readUInt32BE(0);
}

export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** Someone who can check signatures: a name, a key id and the public key. */
export interface NoteVerifier {
  readonly name: string;
  readonly keyId: number;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Buffer;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}

/** Someone who can sign notes. */
export interface NoteSigner {
  readonly name: string;
  readonly keyId: number;
  readonly publicKey: Buffer;
  sign(message: Uint8Array): Buffer;
}

// DER prefixes of Ed25519 SPKI (public) and PKCS#8 (private) keys, before the 32 raw bytes.
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

export function ed25519PublicKeyObject(raw: Uint8Array): KeyObject {
  if (raw.length !== 32) throw new NoteKeyError('an Ed25519 public key is 32 bytes');
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

export function ed25519PrivateKeyObject(seed: Uint8Array): KeyObject {
  if (seed.length !== 32) throw new NoteKeyError('an Ed25519 private key (seed) is 32 bytes');
  return createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' });
}

/** The raw 32-byte public key of an Ed25519 KeyObject (public or private). */
export function rawPublicKey(key: KeyObject): Buffer {
  const publicKey = key.type === 'private' ? createPublicKey(key) : key;
  const der = publicKey.export({ format: 'der', type: 'spki' });
  return Buffer.from(der.subarray(der.length - 32));
}

/** The raw 32-byte seed of an Ed25519 private KeyObject. */
export function rawSeed(key: KeyObject): Buffer {
  const der = key.export({ format: 'der', type: 'pkcs8' });
  return Buffer.from(der.subarray(der.length - 32));
}

export function createVerifier(name: string, publicKey: Uint8Array): NoteVerifier {
  if (!isValidKeyName(name)) throw new NoteKeyError(`invalid key name ${JSON.stringify(name)}`);
  const key = ed25519PublicKeyObject(publicKey);
  return {
    name,
    keyId: noteKeyId(name, publicKey),
    publicKey: Buffer.from(publicKey),
    verify: (message, signature) => signature.length === 64 && ed25519Verify(null, message, key, signature),
  };
}

export function createSigner(name: string, privateKey: KeyObject): NoteSigner {
  if (!isValidKeyName(name)) throw new NoteKeyError(`invalid key name ${JSON.stringify(name)}`);
  if (privateKey.asymmetricKeyType !== 'ed25519' || privateKey.type !== 'private') {
    throw new NoteKeyError('a note signer needs an Ed25519 private key');
  }
  const publicKey = rawPublicKey(privateKey);
  return {
    name,
    keyId: noteKeyId(name, publicKey),
    publicKey,
    sign: (message) => ed25519Sign(null, message, privateKey),
  };
}

/** A new random signer (the key stays in memory; see the sealer's key store for files). */
export function generateSigner(name: string): NoteSigner {
  return createSigner(name, generateKeyPairSync('ed25519').privateKey);
}

/** `<name>+<hex key id>+<base64(0x01 ‖ public key)>`. */
export function formatVerifierKey(name: string, publicKey: Uint8Array): string {
  return `${name}+${keyIdHex(noteKeyId(name, publicKey))}+${Buffer.concat([
    Buffer.from([ED25519_SIGNATURE_TYPE]),
    publicKey,
  ]).toString('base64')}`;
}

function splitKey(text: string, parts: number, what: string): string[] {
  // The name has no '+'; base64 may hold '+', so split only the leading fields.
  const fields: string[] = [];
  let rest = text;
  for (let i = 0; i < parts - 1; i++) {
    const at = rest.indexOf('+');
    if (at < 0) throw new NoteKeyError(`malformed ${what}`);
    fields.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  fields.push(rest);
  return fields;
}

function decodeKeyMaterial(name: string, idHex: string, material: string, what: string): Buffer {
  if (!isValidKeyName(name)) throw new NoteKeyError(`malformed ${what}: bad key name`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteKeyError(`malformed ${what}: bad key id`);
  const bytes = Buffer.from(material, 'base64');
  if (bytes.toString('base64') !== material) throw new NoteKeyError(`malformed ${what}: bad base64`);
  if (bytes.length !== 33 || bytes[0] !== ED25519_SIGNATURE_TYPE) {
    throw new NoteKeyError(`malformed ${what}: not an Ed25519 key`);
  }
  return bytes.subarray(1);
}

/** Parse a verifier key string; the key id must match the name and key. */
export function parseVerifierKey(text: string): NoteVerifier {
  const [name, idHex, material] = splitKey(text, 3, 'verifier key');
  const publicKey = decodeKeyMaterial(name, idHex, material, 'verifier key');
  const verifier = createVerifier(name, publicKey);
  if (keyIdHex(verifier.keyId) !== idHex)
    throw new NoteKeyError('malformed verifier key: key id does not match');
  return verifier;
}

/** Parse a signer key string `PRIVATE+KEY+<name>+<hex id>+<base64(0x01 ‖ seed)>`. */
export function parseSignerKey(text: string): NoteSigner {
  const [p, k, name, idHex, material] = splitKey(text, 5, 'signer key');
  if (p !== 'PRIVATE' || k !== 'KEY') throw new NoteKeyError('malformed signer key');
  const seed = decodeKeyMaterial(name, idHex, material, 'signer key');
  const signer = createSigner(name, ed25519PrivateKeyObject(seed));
  if (keyIdHex(signer.keyId) !== idHex) throw new NoteKeyError('malformed signer key: key id does not match');
  return signer;
}
