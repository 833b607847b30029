/**
 * Verification as a sequence of steps, with the cryptography left to a back-end. The logic that
 * parses notes and keys, walks proofs and builds verdicts is written ONCE as generators that
 * `yield` a crypto request (SHA-256, Ed25519 key import, Ed25519 verify) and carry on with the
 * answer; a driver answers them either synchronously (node:crypto: the command line, the service)
 * or asynchronously (Web Crypto: the browser). No node imports here.
 */

export type CryptoRequest =
  | { readonly op: 'sha256'; readonly parts: readonly Uint8Array[] }
  | { readonly op: 'ed25519-import'; readonly publicKey: Uint8Array }
  | {
      readonly op: 'ed25519-verify';
      readonly key: unknown;
      readonly message: Uint8Array;
      readonly signature: Uint8Array;
    };

/** A computation that asks for cryptography along the way and finally answers a T. */
export type Steps<T> = Generator<CryptoRequest, T, unknown>;

/** A back-end that answers at once (node:crypto). */
export interface SyncCrypto {
  sha256(parts: readonly Uint8Array[]): Uint8Array;
  /** A handle to the raw 32-byte Ed25519 public key (throws when the key is unusable). */
  importEd25519(publicKey: Uint8Array): unknown;
  verifyEd25519(key: unknown, message: Uint8Array, signature: Uint8Array): boolean;
}

/** A back-end that answers later (Web Crypto). */
export interface AsyncCrypto {
  sha256(parts: readonly Uint8Array[]): Promise<Uint8Array>;
  importEd25519(publicKey: Uint8Array): Promise<unknown>;
  verifyEd25519(key: unknown, message: Uint8Array, signature: Uint8Array): Promise<boolean>;
}

/** SHA-256 of the parts, concatenated. */
export function* sha256(...parts: readonly Uint8Array[]): Steps<Uint8Array> {
  return (yield { op: 'sha256', parts }) as Uint8Array;
}

export function* importEd25519(publicKey: Uint8Array): Steps<unknown> {
  return yield { op: 'ed25519-import', publicKey };
}

/** An Ed25519 signature check; a signature that is not 64 bytes is false without asking. */
export function* verifyEd25519(key: unknown, message: Uint8Array, signature: Uint8Array): Steps<boolean> {
  if (signature.length !== 64) return false;
  return (yield { op: 'ed25519-verify', key, message, signature }) as boolean;
}

/** A value known without cryptography, as steps (for callers that already hold the answer). */
// eslint-disable-next-line require-yield -- nothing to ask: the value is already known
export function* known<T>(value: T): Steps<T> {
  return value;
}

/** Web Crypto refuses the algorithm (an old browser): say so instead of failing the bundle. */
export class NoEd25519Error extends Error {
  constructor(cause: unknown) {
    super(
      `this browser cannot verify Ed25519 signatures with Web Crypto (${(cause as Error)?.message ?? String(cause)}); use a current browser or the command line: archive-ledger verify`,
    );
    this.name = 'NoEd25519Error';
  }
}

/** The back-end's answer to one request: a value (sync) or a promise of it (async). */
function answer(request: CryptoRequest, crypto: SyncCrypto | AsyncCrypto): unknown {
  switch (request.op) {
    case 'sha256':
      return crypto.sha256(request.parts);
    case 'ed25519-import':
      return crypto.importEd25519(request.publicKey);
    case 'ed25519-verify':
      return crypto.verifyEd25519(request.key, request.message, request.signature);
  }
}

/** Run steps to the end, answering each request at once; a back-end error is thrown into the steps. */
export function runSync<T>(steps: Steps<T>, crypto: SyncCrypto): T {
  let next = steps.next();
  while (!next.done) {
    let reply: unknown;
    try {
      reply = answer(next.value, crypto);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(reply);
  }
  return next.value;
}

/** Run steps to the end, awaiting each answer; a back-end error is thrown into the steps. */
export async function runAsync<T>(steps: Steps<T>, crypto: AsyncCrypto): Promise<T> {
  let next = steps.next();
  while (!next.done) {
    let reply: unknown;
    try {
      reply = await answer(next.value, crypto);
    } catch (error) {
      next = steps.throw(error);
      continue;
    }
    next = steps.next(reply);
  }
  return next.value;
}
