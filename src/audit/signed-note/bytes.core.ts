/**
 * Bytes without Buffer: hex, strict base64, UTF-8 over Uint8Array. No node imports, so the signed-note
 * text functions and the bundle verifier's core run unchanged in the browser (bundled by Vite) and
 * under Node (TextEncoder is global in both).
 */

/** Bytes backed by a plain ArrayBuffer (what Web Crypto accepts). */
export type Bytes = Uint8Array<ArrayBuffer>;

const HEX_DIGITS = '0123456789abcdef';

export function toHex(bytes: Uint8Array): string {
  let text = '';
  for (const byte of bytes) text += HEX_DIGITS[byte >> 4] + HEX_DIGITS[byte & 15];
  return text;
}

/** Lowercase or uppercase hex of whole bytes (the callers checked the text first). */
export function fromHex(text: string): Bytes {
  const bytes = new Uint8Array(text.length >> 1);
  for (let i = 0; i < bytes.length; i++) bytes[i] = parseInt(text.slice(2 * i, 2 * i + 2), 16);
  return bytes;
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const a = bytes[i];
    const b = i + 1 < bytes.length ? bytes[i + 1] : 0;
    const c = i + 2 < bytes.length ? bytes[i + 2] : 0;
    text += BASE64[a >> 2] + BASE64[((a & 3) << 4) | (b >> 4)];
    text += i + 1 < bytes.length ? BASE64[((b & 15) << 2) | (c >> 6)] : '=';
    text += i + 2 < bytes.length ? BASE64[c & 63] : '=';
  }
  return text;
}

/**
 * Decode base64 only when `text` is exactly the standard padded encoding of the bytes (what
 * `Buffer.from(text, 'base64')` followed by a round-trip check accepts); otherwise undefined.
 */
export function fromCanonicalBase64(text: string): Bytes | undefined {
  if (text.length % 4 !== 0) return undefined;
  const padding = text.endsWith('==') ? 2 : text.endsWith('=') ? 1 : 0;
  const length = (text.length / 4) * 3 - padding;
  const bytes = new Uint8Array(length);
  let bits = 0;
  let value = 0;
  let out = 0;
  for (let i = 0; i < text.length - padding; i++) {
    const digit = BASE64.indexOf(text[i]);
    if (digit < 0) return undefined;
    value = ((value << 6) | digit) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      bytes[out++] = (value >> bits) & 0xff;
    }
  }
  // The unused low bits of the last digit must be zero, or another text encodes the same bytes.
  if ((value & ((1 << bits) - 1)) !== 0) return undefined;
  return toBase64(bytes) === text ? bytes : undefined;
}

const encoder = new TextEncoder();

export function utf8(text: string): Bytes {
  return encoder.encode(text) as Bytes;
}

export function concat(...parts: readonly Uint8Array[]): Bytes {
  const bytes = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const part of parts) {
    bytes.set(part, at);
    at += part.length;
  }
  return bytes;
}

export function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** The big-endian uint32 of the first four bytes. */
export function readUint32(bytes: Uint8Array): number {
  return ((bytes[0] << 24) | (bytes[1] << 16) | (bytes[2] << 8) | bytes[3]) >>> 0;
}
