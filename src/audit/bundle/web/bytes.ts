/**
 * Bytes for the browser verifier: hex, strict base64 and UTF-8 over Uint8Array
 * (src/audit/signed-note/bytes.core.ts, shared with the command line), and the Web Crypto API.
 */
export * from '../../signed-note/bytes.core';
export { webCrypto } from './web-crypto';
