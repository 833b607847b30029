/** Stock-take ids and streams (X2): `ST-2026-0001`, stream `stocktake-ST-2026-0001`, numbered per year. */
export const STOCK_TAKE_ID_PATTERN = /^ST-\d{4}-\d{4,6}$/;

export function stockTakeStream(stockTakeId: string): string {
  return `stocktake-${stockTakeId}`;
}

export function stockTakeNumberingStream(year: number): string {
  return `numbering-stocktake-${year}`;
}

export function stockTakeIdFor(year: number, number: number): string {
  return `ST-${year}-${String(number).padStart(4, '0')}`;
}
