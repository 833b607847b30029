import { GENESIS_HASH, sealEvent, type SealedEvent } from './envelope';
import { ChainMismatchError, WrongExpectedRevisionError } from './event-store.errors';
import type { AppendOptions, ExpectedRevision, ProposedEvent } from './event-store.port';

/** The newest event of a stream, as an adapter read it inside its append. */
export interface StreamHead {
  readonly revision: number;
  readonly hash: string;
}

export interface SealedAppend {
  readonly event: ProposedEvent;
  readonly revision: number;
  readonly prevHash: string;
  readonly sealed: SealedEvent;
}

/** Does a stream whose head is at `headRevision` (undefined: no stream) satisfy `expected`? */
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

/**
 * The part of an append every adapter shares: check the caller's expectations against the head,
 * then seal the events onto it at consecutive revisions, each chained to the one before.
 * @throws WrongExpectedRevisionError, ChainMismatchError
 */
export function sealAppend(
  stream: string,
  head: StreamHead | undefined,
  events: readonly ProposedEvent[],
  options: AppendOptions,
  recordedAt: string,
): SealedAppend[] {
  if (!expectedRevisionMatches(options.expectedRevision, head?.revision)) {
    throw new WrongExpectedRevisionError(
      stream,
      options.expectedRevision,
      head ? head.revision : 'no_stream',
    );
  }
  const headHash = head?.hash ?? GENESIS_HASH;
  if (options.expectedHeadHash !== undefined && options.expectedHeadHash !== headHash) {
    throw new ChainMismatchError(stream, options.expectedHeadHash, headHash);
  }
  let revision = head ? head.revision : -1;
  let prevHash = headHash;
  return events.map((event) => {
    revision += 1;
    const sealed = sealEvent(stream, revision, prevHash, event, recordedAt);
    const entry = { event, revision, prevHash, sealed };
    prevHash = sealed.hash;
    return entry;
  });
}
