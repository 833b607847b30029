import { hashLeaf } from './rfc6962';

/**
 * Leaf i of the audit tree is the event at index i of the global order (0-based; on the embedded
 * store that is the event at `global_position` i + 1). Its leaf input is the event's stored hash as
 * 32 raw bytes (the hex `hash` decoded), so leaf hash = SHA-256(0x00 ‖ event hash).
 */
export function eventLeafHash(eventHashHex: string): Buffer {
  if (!/^[0-9a-f]{64}$/.test(eventHashHex)) {
    throw new Error(`an event hash is 64 lowercase hex digits, not ${JSON.stringify(eventHashHex)}`);
  }
  return hashLeaf(Buffer.from(eventHashHex, 'hex'));
}
