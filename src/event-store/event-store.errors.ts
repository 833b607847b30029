import type { ExpectedRevision } from './event-store.port';

/** Base class for the port's typed errors. */
export abstract class EventStoreError extends Error {}

export class StreamNotFoundError extends EventStoreError {
  constructor(readonly stream: string) {
    super(`Stream ${stream} does not exist`);
    this.name = 'StreamNotFoundError';
  }
}

/** The stream is not in the state the writer expected: somebody else appended first. */
export class WrongExpectedRevisionError extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly expected: ExpectedRevision,
    /** The stream's actual head revision, or 'no_stream'. */
    readonly actual: number | 'no_stream',
  ) {
    super(`Stream ${stream}: expected ${String(expected)}, actual ${String(actual)}`);
    this.name = 'WrongExpectedRevisionError';
  }
}

/** The append would not chain onto the stream head (its prevHash does not match the head's hash). */
export class ChainMismatchError extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly expectedHeadHash: string,
    readonly actualHeadHash: string,
  ) {
    super(
      `Stream ${stream}: chain does not follow the head (expected head ${expectedHeadHash}, actual ${actualHeadHash})`,
    );
    this.name = 'ChainMismatchError';
  }
}

/** An event id is already used by another stream or another position. */
export class DuplicateEventIdError extends EventStoreError {
  constructor(readonly eventId: string) {
    super(`Event id ${eventId} is already used by a different append`);
    this.name = 'DuplicateEventIdError';
  }
}

/** Stored history fails verification: the hash chain of a stream is broken at `revision`. */
export class ChainIntegrityError extends EventStoreError {
  constructor(
    readonly stream: string,
    readonly revision: number,
    readonly problem: string,
  ) {
    super(`Stream ${stream} fails verification at revision ${revision}: ${problem}`);
    this.name = 'ChainIntegrityError';
  }
}

/** A stored event's bytes cannot be read as the JSON they were hashed as: the store was altered. */
export class UnreadableEventError extends EventStoreError {
  constructor(
    readonly position: string,
    readonly problem: string,
  ) {
    super(`The event at position ${position} fails verification: ${problem}`);
    this.name = 'UnreadableEventError';
  }
}

/** A position token that this store did not issue (e.g. a malformed `?after=`). */
export class InvalidPositionError extends EventStoreError {
  constructor(
    readonly position: string,
    readonly expectedShape: string,
  ) {
    super(`${JSON.stringify(position)} is not a position of this store (expected ${expectedShape})`);
    this.name = 'InvalidPositionError';
  }
}

/** The embedded store's file is held by another process (single-writer). */
export class StoreLockedError extends EventStoreError {
  constructor(readonly file: string) {
    super(
      `The data file ${file} is in use by another archive-ledger process. The embedded store allows one process at a time: stop the other process or use another DATA_DIR.`,
    );
    this.name = 'StoreLockedError';
  }
}
