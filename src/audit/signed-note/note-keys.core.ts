import { fromCanonicalBase64, readUint32, utf8, type Bytes } from './bytes.core';
import { importEd25519, sha256, type Steps } from './crypto-steps.core';

/**
 * The node-free part of signed-note keys (note-keys.ts): key names, key ids, the text form of a
 * verifier key, and a verifier as steps (crypto-steps.core.ts) for the bundle verifiers, which
 * run with node:crypto on the command line and Web Crypto in the browser.
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

export function keyIdHex(keyId: number): string {
  return keyId.toString(16).padStart(8, '0');
}

/** key id = first 4 bytes (big-endian uint32) of SHA-256(name ‖ 0x0A ‖ 0x01 ‖ public key). */
export function* noteKeyIdSteps(name: string, publicKey: Uint8Array): Steps<number> {
  return readUint32(yield* sha256(utf8(`${name}\n`), new Uint8Array([ED25519_SIGNATURE_TYPE]), publicKey));
}

/** Split `text` at its first `parts − 1` '+' (the name has no '+'; base64 may hold one). */
export function splitKey(text: string, parts: number, what: string): string[] {
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

/** The 32 key bytes of `<name>+<hex id>+<base64(0x01 ‖ key)>`, the name and id checked for form only. */
export function decodeKeyMaterial(name: string, idHex: string, material: string, what: string): Bytes {
  if (!isValidKeyName(name)) throw new NoteKeyError(`malformed ${what}: bad key name`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) throw new NoteKeyError(`malformed ${what}: bad key id`);
  const bytes = fromCanonicalBase64(material);
  if (bytes === undefined) throw new NoteKeyError(`malformed ${what}: bad base64`);
  if (bytes.length !== 33 || bytes[0] !== ED25519_SIGNATURE_TYPE) {
    throw new NoteKeyError(`malformed ${what}: not an Ed25519 key`);
  }
  return bytes.subarray(1);
}

/** The parts of a verifier key `<name>+<hex key id>+<base64(0x01 ‖ public key)>`, not yet checked against each other. */
export function verifierKeyParts(text: string): { name: string; idHex: string; publicKey: Bytes } {
  const [name, idHex, material] = splitKey(text, 3, 'verifier key');
  return { name, idHex, publicKey: decodeKeyMaterial(name, idHex, material, 'verifier key') };
}

/** The key id a verifier key states must be the one its name and key give. */
export function checkKeyId(keyId: number, idHex: string): void {
  if (keyIdHex(keyId) !== idHex) throw new NoteKeyError('malformed verifier key: key id does not match');
}

/** A known key for verifying with steps: the back-end's key handle with its name and id. */
export interface StepVerifier {
  readonly name: string;
  readonly keyId: number;
  /** Raw 32-byte Ed25519 public key. */
  readonly publicKey: Uint8Array;
  /** The back-end's handle (a node KeyObject or a Web Crypto CryptoKey). */
  readonly key: unknown;
}

export function* createVerifierSteps(name: string, publicKey: Uint8Array): Steps<StepVerifier> {
  if (!isValidKeyName(name)) throw new NoteKeyError(`invalid key name ${JSON.stringify(name)}`);
  if (publicKey.length !== 32) throw new NoteKeyError('an Ed25519 public key is 32 bytes');
  const key = yield* importEd25519(publicKey);
  return { name, keyId: yield* noteKeyIdSteps(name, publicKey), publicKey, key };
}

/** Parse a verifier key string; the key id must match the name and key. */
export function* parseVerifierKeySteps(text: string): Steps<StepVerifier> {
  const { name, idHex, publicKey } = verifierKeyParts(text);
  const verifier = yield* createVerifierSteps(name, publicKey);
  checkKeyId(verifier.keyId, idHex);
  return verifier;
}
