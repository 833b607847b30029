import type { ExpectedRevision } from './event-store.port';

/** Does a stream whose head is at `headRevision` (undefined: no stream) satisfy `expected`? Shared by every adapter. */
export function expectedRevisionMatches(
  expected: ExpectedRevision,
  headRevision: number | undefined,
): boolean {
  switch (expected) {
    case 'any':
      return true;
    case 'no_stream':
      return headRevision === undefined;
    case 'stream_exists':
      return headRevision !== undefined;
    default:
      return headRevision === expected;
  }
}
