import { NoEd25519Error, type AsyncCrypto } from '../../signed-note/crypto-steps.core';
import { NoteKeyError } from '../../signed-note/note-keys.core';
import { concat, type Bytes } from '../../signed-note/bytes.core';

/**
 * The Web Crypto back-end of the verification steps (src/audit/signed-note/crypto-steps.core.ts):
 * the browser verifier runs the shared signed-note and bundle checks with it. No Buffer, no node
 * imports: it runs in the console (bundled by Vite) and under Node 20 (globalThis.crypto).
 */

/** The Web Crypto API of the browser or of Node 20. */
export function webCrypto(): typeof crypto {
  const found = (globalThis as { crypto?: typeof crypto }).crypto;
  if (found?.subtle === undefined) {
    throw new Error(
      'this browser has no Web Crypto (crypto.subtle): open the page over https or from localhost',
    );
  }
  return found;
}

/** A Web Crypto key (named so: the service's type check has no DOM lib, hence no `CryptoKey`). */
type WebKey = Awaited<ReturnType<ReturnType<typeof webCrypto>['subtle']['importKey']>>;

/** Web Crypto takes views of plain ArrayBuffers only. */
function plain(bytes: Uint8Array): Bytes {
  return bytes.buffer instanceof ArrayBuffer ? (bytes as Bytes) : new Uint8Array(bytes);
}

export const webCryptoSteps: AsyncCrypto = {
  async sha256(parts) {
    return new Uint8Array(await webCrypto().subtle.digest('SHA-256', concat(...parts)));
  },
  async importEd25519(publicKey) {
    try {
      return await webCrypto().subtle.importKey('raw', plain(publicKey), { name: 'Ed25519' }, false, [
        'verify',
      ]);
    } catch (error) {
      if ((error as Error)?.name === 'NotSupportedError') throw new NoEd25519Error(error);
      throw new NoteKeyError(`not an Ed25519 public key: ${(error as Error)?.message ?? String(error)}`);
    }
  },
  verifyEd25519: (key, message, signature) =>
    webCrypto().subtle.verify({ name: 'Ed25519' }, key as WebKey, plain(signature), plain(message)),
};
