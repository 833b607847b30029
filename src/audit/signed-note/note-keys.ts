import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  sign as ed25519Sign,
  type KeyObject,
} from 'node:crypto';
import { runSync, verifyEd25519 } from './crypto-steps.core';
import { nodeCrypto } from './node-crypto';
import {
  ED25519_SIGNATURE_TYPE,
  NoteKeyError,
  checkKeyId,
  createVerifierSteps,
  decodeKeyMaterial,
  isValidKeyName,
  keyIdHex,
  noteKeyIdSteps,
  splitKey,
  verifierKeyParts,
} from './note-keys.core';

export { ED25519_SIGNATURE_TYPE, NoteKeyError, isValidKeyName, keyIdHex } from './note-keys.core';
export { ed25519PublicKeyObject } from './node-crypto';

/**
 * Ed25519 keys of C2SP signed notes (https://c2sp.org/signed-note): the key id, and the text forms
 * the Go reference (golang.org/x/mod/sumdb/note) uses:
 * - verifier key `<name>+<hex key id>+<base64(0x01 ‖ 32-byte public key)>`, safe to publish;
 * - signer key `PRIVATE+KEY+<name>+<hex key id>+<base64(0x01 ‖ 32-byte seed)>`, secret.
 * The text rules and the key id live once, node-free, in note-keys.core.ts; this file adds
 * node:crypto keys and signing.
 */

/** key id = first 4 bytes (big-endian uint32) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). */
export function noteKeyId(name: string, publicKey: Uint8Array): number {
  return runSync(noteKeyIdSteps(name, publicKey), nodeCrypto);
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

/** The DER prefix of an Ed25519 PKCS#8 private key, before the 32 raw bytes. */
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');

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
  const { keyId, key } = runSync(createVerifierSteps(name, publicKey), nodeCrypto);
  return {
    name,
    keyId,
    publicKey: Buffer.from(publicKey),
    verify: (message, signature) => runSync(verifyEd25519(key, message, signature), nodeCrypto),
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

/** Parse a verifier key string; the key id must match the name and key. */
export function parseVerifierKey(text: string): NoteVerifier {
  const { name, idHex, publicKey } = verifierKeyParts(text);
  const verifier = createVerifier(name, publicKey);
  checkKeyId(verifier.keyId, idHex);
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
