import { classificationRank, type Actor } from '../../domain-kernel/actor';
import { CATALOGUE } from '../../projections/read-models/catalogue.read-model';
import type { ReadStore } from '../../read-store/read-store.port';

/**
 * A2 for entries inside a list document (transfer list items, stock-take findings): each entry
 * carries the rank its record had when it was listed, and the record may have been reclassified
 * since. An entry is visible when the caller is cleared for both that rank and the record's rank
 * in the catalogue now.
 */
export async function rankFilter(
  reads: ReadStore,
  actor: Actor,
  codes: readonly string[],
): Promise<(archiveCode: string, listedRank: number) => boolean> {
  const unique = [...new Set(codes)];
  const current = new Map<string, number>();
  for (let i = 0; i < unique.length; i += 500) {
    for (const doc of await reads.getMany(CATALOGUE, unique.slice(i, i + 500))) {
      current.set(doc.id, Number(doc['classificationRank'] ?? 0));
    }
  }
  const clearance = classificationRank(actor.clearance);
  return (archiveCode, listedRank) => Math.max(listedRank, current.get(archiveCode) ?? 0) <= clearance;
}
