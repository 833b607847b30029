import { classificationRank, type Actor } from '../domain-kernel/actor';
import type { Filter } from '../read-store/read-store.port';

/**
 * A2: nobody sees a record above their clearance. Every read-model document about a record carries
 * `classificationRank` (0 PUBLIC … 4 TOP_SECRET); this filter goes *inside* every query, so pages,
 * totals and statistics never count what the caller may not see.
 */
export function visibleTo(actor: Actor): Filter {
  return { classificationRank: { lte: classificationRank(actor.clearance) } };
}
