import type { ReadDoc } from '../../read-store/read-store.port';

/**
 * A read-model document as an API item: without the projector's bookkeeping (`_stream`,
 * `_revision`), and without the store's `id` unless it means something of its own (`keepId`).
 */
export function withoutBookkeeping<T>(doc: ReadDoc, keepId = false): T {
  const item: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(doc)) {
    if ((keepId || field !== 'id') && !field.startsWith('_')) item[field] = value;
  }
  return item as T;
}

/** Today's date (UTC, YYYY-MM-DD) by the injected clock. */
export function todayOf(now: Date): string {
  return now.toISOString().slice(0, 10);
}
