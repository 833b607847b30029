/**
 * Transfer list ids and streams (X1). A list is numbered per year from its own numbering stream:
 * `TR-2026-0001`, stream `transfer-TR-2026-0001`.
 */
export const TRANSFER_ID_PATTERN = /^TR-\d{4}-\d{4,6}$/;

export function transferStream(transferId: string): string {
  return `transfer-${transferId}`;
}

export function transferNumberingStream(year: number): string {
  return `numbering-transfer-${year}`;
}

export function transferIdFor(year: number, number: number): string {
  return `TR-${year}-${String(number).padStart(4, '0')}`;
}
