import { EventEmitter } from 'node:events';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import type { Clock } from '../../clock/clock';
import { GENESIS_HASH, recordedFromCanonical } from '../envelope';
import {
  DuplicateEventIdError,
  InvalidPositionError,
  StoreLockedError,
  StreamNotFoundError,
} from '../event-store.errors';
import type {
  AppendOptions,
  AppendResult,
  EventStore,
  Position,
  ProposedEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  SubscribeOptions,
} from '../event-store.port';
import { sealAppend } from '../seal-append';

export const EMBEDDED_STORE_FILE = 'archive-ledger.sqlite';

interface EventRow {
  global_position: number;
  hash: string;
  canonical: Buffer;
}

/** One stored event as the projection worker receives it: global position, hash, canonical JSON text. */
export type EncodedEvent = [position: number, hash: string, canonical: string];

interface PendingAppend {
  readonly stream: string;
  readonly events: readonly ProposedEvent[];
  readonly options: AppendOptions;
  readonly resolve: (result: AppendResult) => void;
  readonly reject: (error: unknown) => void;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  global_position INTEGER PRIMARY KEY,
  stream          TEXT    NOT NULL,
  revision        INTEGER NOT NULL,
  event_id        TEXT    NOT NULL UNIQUE,
  type            TEXT    NOT NULL,
  prev_hash       TEXT    NOT NULL,
  hash            TEXT    NOT NULL,
  canonical       BLOB    NOT NULL,
  UNIQUE (stream, revision)
);
-- The store itself refuses an event that does not follow its stream's head or the global order.
CREATE TRIGGER IF NOT EXISTS events_follow_stream_head BEFORE INSERT ON events
BEGIN
  SELECT RAISE(ABORT, 'CHAIN_BROKEN: revision does not follow the stream head')
   WHERE NEW.revision <> coalesce((SELECT max(revision) FROM events WHERE stream = NEW.stream), -1) + 1;
  SELECT RAISE(ABORT, 'CHAIN_BROKEN: prev_hash is not the hash of the stream head')
   WHERE NEW.prev_hash <> coalesce((SELECT hash FROM events WHERE stream = NEW.stream AND revision = NEW.revision - 1), '${GENESIS_HASH}');
  SELECT RAISE(ABORT, 'GLOBAL_ORDER: global_position does not follow the last position')
   WHERE NEW.global_position <> coalesce((SELECT max(global_position) FROM events), 0) + 1;
END;
CREATE TRIGGER IF NOT EXISTS events_are_never_updated BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'IMMUTABLE: stored events are never changed'); END;
CREATE TRIGGER IF NOT EXISTS events_are_never_deleted BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'IMMUTABLE: stored events are never deleted'); END;
CREATE TABLE IF NOT EXISTS store_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT OR IGNORE INTO store_meta (key, value) VALUES ('schema_version', '1');
`;

/**
 * The embedded event store: one SQLite file (WAL, synchronous=FULL) owned by one process.
 *
 * - Durable: an append resolves only after its transaction committed and the WAL was fsync'd.
 * - Group commit: appends queued in the same turn of the event loop are written in one transaction;
 *   each runs in its own savepoint so a conflicting append fails alone.
 * - Gap-free global order: positions are assigned 1, 2, 3 … inside the write transaction.
 * - Single writer: the file is opened with an exclusive lock; a second process gets StoreLockedError.
 */
export class SqliteEventStore implements EventStore {
  private readonly appended = new EventEmitter();
  private queue: PendingAppend[] = [];
  private flushScheduled = false;
  private lastPosition: number;
  private closed = false;
  private commits = 0;
  private readonly groupCommit: (work: () => void) => void;
  private readonly appendInSavepoint: (pending: PendingAppend) => AppendResult;

  private readonly stmt: {
    head: Database.Statement<[string], { revision: number; hash: string; global_position: number }>;
    byEventId: Database.Statement<[string], { stream: string; revision: number; global_position: number }>;
    insert: Database.Statement<[number, string, number, string, string, string, string, Buffer]>;
    forwards: Database.Statement<[string, number, number], EventRow>;
    backwards: Database.Statement<[string, number, number], EventRow>;
    all: Database.Statement<[number, number], EventRow>;
    allEncoded: Database.Statement<[number, number], EncodedEvent>;
    lastPosition: Database.Statement<[], { p: number | null }>;
    schemaVersion: Database.Statement<[], number>;
    guardTriggers: Database.Statement<[], { name: string; sql: string }>;
  };
  /** The schema version `historyEpoch` last checked, and whether the immutability triggers were intact then. */
  private guardCheckedAt: number | undefined;
  private guarded = false;

  private constructor(
    private readonly db: Database.Database,
    private readonly clock: Clock,
    readonly file: string,
  ) {
    this.appended.setMaxListeners(0);
    this.stmt = {
      head: db.prepare(
        'SELECT revision, hash, global_position FROM events WHERE stream = ? ORDER BY revision DESC LIMIT 1',
      ),
      byEventId: db.prepare('SELECT stream, revision, global_position FROM events WHERE event_id = ?'),
      insert: db.prepare(
        'INSERT INTO events (global_position, stream, revision, event_id, type, prev_hash, hash, canonical) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      ),
      forwards: db.prepare(
        'SELECT global_position, hash, canonical FROM events WHERE stream = ? AND revision >= ? ORDER BY revision ASC LIMIT ?',
      ),
      backwards: db.prepare(
        'SELECT global_position, hash, canonical FROM events WHERE stream = ? AND revision <= ? ORDER BY revision DESC LIMIT ?',
      ),
      all: db.prepare(
        'SELECT global_position, hash, canonical FROM events WHERE global_position > ? ORDER BY global_position ASC LIMIT ?',
      ),
      // The stored bytes as text (SQLite hands them over without a Buffer per row): see readAllEncoded.
      allEncoded: db
        .prepare<[number, number], EncodedEvent>(
          'SELECT global_position, hash, CAST(canonical AS TEXT) FROM events WHERE global_position > ? ORDER BY global_position ASC LIMIT ?',
        )
        .raw(true) as unknown as Database.Statement<[number, number], EncodedEvent>,
      lastPosition: db.prepare('SELECT max(global_position) AS p FROM events'),
      schemaVersion: db.prepare<[], number>('PRAGMA schema_version').pluck(),
      guardTriggers: db.prepare(
        `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events' ORDER BY name`,
      ),
    };
    this.lastPosition = this.stmt.lastPosition.get()?.p ?? 0;
    this.groupCommit = db.transaction((work: () => void) => work());
    this.appendInSavepoint = db.transaction((pending: PendingAppend) => this.applyAppend(pending));
  }

  /** Open (creating if needed) the store file in `dataDir`. Throws StoreLockedError if another process holds it. */
  static open(options: { dataDir: string; clock: Clock; fileName?: string }): SqliteEventStore {
    fs.mkdirSync(options.dataDir, { recursive: true });
    const file = path.join(options.dataDir, options.fileName ?? EMBEDDED_STORE_FILE);
    const db = new Database(file, { timeout: 250 });
    try {
      // Exclusive locking before WAL: no shared memory, and the lock is held for the connection's life.
      db.pragma('locking_mode = EXCLUSIVE');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = FULL');
      db.exec('BEGIN EXCLUSIVE; COMMIT;');
      db.exec(SCHEMA);
    } catch (error) {
      db.close();
      if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new StoreLockedError(file);
      throw error;
    }
    return new SqliteEventStore(db, options.clock, file);
  }

  /** The underlying connection, for adapters that share the file (read models, checkpoints). */
  get connection(): Database.Database {
    return this.db;
  }

  append(stream: string, events: readonly ProposedEvent[], options: AppendOptions): Promise<AppendResult> {
    if (this.closed) return Promise.reject(new Error('the event store is closed'));
    if (events.length === 0) return Promise.reject(new Error('append needs at least one event'));
    return new Promise<AppendResult>((resolve, reject) => {
      this.queue.push({ stream, events, options, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.flushScheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    const positionBefore = this.lastPosition;
    const outcomes: Array<{ result?: AppendResult; error?: unknown }> = [];
    try {
      this.groupCommit(() => {
        for (const pending of batch) {
          const before = this.lastPosition;
          try {
            // A nested transaction is a savepoint: a failing append rolls back alone.
            outcomes.push({ result: this.appendInSavepoint(pending) });
          } catch (error) {
            // SQLite may have rolled back the whole transaction (I/O error, out of memory):
            // then nothing of this batch is stored, and the batch fails as a whole.
            if (!this.db.inTransaction) throw error;
            this.lastPosition = before;
            outcomes.push({ error });
          }
        }
      });
    } catch (error) {
      // Nothing of the batch was committed: take the position from what the file really holds.
      this.lastPosition = this.stmt.lastPosition.get()?.p ?? 0;
      for (const pending of batch) pending.reject(error);
      return;
    }
    this.commits += 1;
    batch.forEach((pending, index) => {
      const outcome = outcomes[index];
      if (outcome.error !== undefined) pending.reject(outcome.error);
      else pending.resolve(outcome.result as AppendResult);
    });
    if (this.lastPosition > positionBefore) this.appended.emit('appended', this.lastPosition);
  }

  /**
   * While this value stays the same, no stored event can have been changed or deleted: it is the
   * file's schema version, answered only while the store's own triggers (append only at the stream
   * head and the global order, never UPDATE, never DELETE) are present exactly as this build
   * creates them. Dropping or replacing a trigger (the only way to rewrite stored history through
   * SQL) changes the schema version; without the triggers the answer is undefined. No other
   * process can write the file while this one holds it (exclusive lock). `readVerifiedStream`
   * uses it to verify only the events appended since it last verified a stream.
   */
  historyEpoch(): number | undefined {
    if (this.closed) return undefined;
    const version = this.stmt.schemaVersion.get() as number;
    if (version !== this.guardCheckedAt) {
      const triggers = this.stmt.guardTriggers.all();
      this.guarded =
        triggers.length === GUARD_TRIGGERS.size &&
        triggers.every(({ name, sql }) => GUARD_TRIGGERS.get(name) === sql);
      this.guardCheckedAt = version;
    }
    return this.guarded ? version : undefined;
  }

  /** How many write transactions were committed: with group commit, fewer than appends. */
  get commitCount(): number {
    return this.commits;
  }

  private applyAppend({ stream, events, options }: PendingAppend): AppendResult {
    const head = this.stmt.head.get(stream);

    const replayed = this.previousAppendOf(stream, events);
    if (replayed) return replayed;

    const sealedEvents = sealAppend(stream, head, events, options, this.clock.now().toISOString());
    for (const { event, revision, prevHash, sealed } of sealedEvents) {
      this.lastPosition += 1;
      this.stmt.insert.run(
        this.lastPosition,
        stream,
        revision,
        event.eventId,
        event.type,
        prevHash,
        sealed.hash,
        sealed.canonical,
      );
    }
    const last = sealedEvents[sealedEvents.length - 1];
    return { nextRevision: last.revision, position: String(this.lastPosition), replayed: false };
  }

  /** Idempotent retry: the same event ids already stored, in order, in this stream. */
  private previousAppendOf(stream: string, events: readonly ProposedEvent[]): AppendResult | undefined {
    const first = this.stmt.byEventId.get(events[0].eventId);
    if (!first) {
      for (const event of events.slice(1)) {
        if (this.stmt.byEventId.get(event.eventId)) throw new DuplicateEventIdError(event.eventId);
      }
      return undefined;
    }
    let last = first;
    for (const [index, event] of events.entries()) {
      const stored = this.stmt.byEventId.get(event.eventId);
      if (!stored || stored.stream !== stream || stored.revision !== first.revision + index) {
        throw new DuplicateEventIdError(event.eventId);
      }
      last = stored;
    }
    return { nextRevision: last.revision, position: String(last.global_position), replayed: true };
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const limit = options.limit ?? Number.MAX_SAFE_INTEGER;
    const rows =
      options.direction === 'backwards'
        ? this.stmt.backwards.all(stream, options.fromRevision ?? Number.MAX_SAFE_INTEGER, limit)
        : this.stmt.forwards.all(stream, options.fromRevision ?? 0, limit);
    if (rows.length === 0 && !this.stmt.head.get(stream)) throw new StreamNotFoundError(stream);
    return rows.map(toRecorded);
  }

  async readAll(options: ReadAllOptions): Promise<RecordedEvent[]> {
    return this.stmt.all.all(parsePosition(options.after), options.limit).map(toRecorded);
  }

  /**
   * Events after `after` in the global order as `[position, hash, canonical text]`, for the
   * projection worker (rebuild-in-worker.ts): about half the cost of `readAll`, which hands every
   * event's bytes over as a Buffer. The text is the stored bytes read as UTF-8 — what projections
   * decode; verification never uses it (it hashes the bytes, `readAll` / `readStream`).
   */
  readAllEncoded(after: number, limit: number): EncodedEvent[] {
    return this.stmt.allEncoded.all(after, limit);
  }

  async *subscribeToAll(options: SubscribeOptions = {}): AsyncGenerator<RecordedEvent> {
    let after = parsePosition(options.after);
    const signal = options.signal;
    while (!signal?.aborted && !this.closed) {
      const batch = this.stmt.all.all(after, 512);
      for (const row of batch) {
        if (signal?.aborted) return;
        yield toRecorded(row);
        after = row.global_position;
      }
      if (batch.length === 0 && after >= this.lastPosition) await this.nextAppend(signal);
    }
  }

  private nextAppend(signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        this.appended.off('appended', done);
        this.appended.off('closed', done);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      this.appended.once('appended', done);
      this.appended.once('closed', done);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async headPosition(): Promise<Position | undefined> {
    return this.lastPosition > 0 ? String(this.lastPosition) : undefined;
  }

  comparePositions(a: Position, b: Position): number {
    return Math.sign(parsePosition(a) - parsePosition(b));
  }

  async ping(): Promise<void> {
    if (this.closed) throw new Error('the event store is closed');
    this.db.prepare('SELECT 1').get();
  }

  /**
   * Write a consistent copy of the whole file while the store keeps serving (SQLite's online
   * backup API, on this connection: no other process can read the locked file). Then open the copy
   * read-only and check it, so a backup is only reported when it is usable.
   */
  async backup(
    destination: string,
  ): Promise<{ file: string; bytes: number; events: number; headPosition: Position }> {
    if (this.closed) throw new Error('the event store is closed');
    fs.mkdirSync(path.dirname(destination), { recursive: true });
    await this.db.backup(destination);
    const copy = new Database(destination, { readonly: true, fileMustExist: true });
    try {
      const integrity = copy.pragma('integrity_check', { simple: true });
      if (integrity !== 'ok')
        throw new Error(`the backup at ${destination} failed its integrity check: ${String(integrity)}`);
      const { n, p } = copy
        .prepare('SELECT count(*) AS n, coalesce(max(global_position), 0) AS p FROM events')
        .get() as {
        n: number;
        p: number;
      };
      return { file: destination, bytes: fs.statSync(destination).size, events: n, headPosition: String(p) };
    } finally {
      copy.close();
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    if (this.queue.length > 0) this.flush();
    this.closed = true;
    this.appended.emit('closed');
    this.db.close();
  }
}

/** The triggers SCHEMA creates on `events`, as SQLite stores their text (read from a scratch database). */
const GUARD_TRIGGERS: ReadonlyMap<string, string> = (() => {
  const scratch = new Database(':memory:');
  try {
    scratch.exec(SCHEMA);
    const rows = scratch
      .prepare<[], { name: string; sql: string }>(
        `SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events' ORDER BY name`,
      )
      .all();
    return new Map(rows.map(({ name, sql }) => [name, sql]));
  } finally {
    scratch.close();
  }
})();

function toRecorded(row: EventRow): RecordedEvent {
  return recordedFromCanonical(row.canonical, row.hash, String(row.global_position));
}

function parsePosition(position: Position | undefined): number {
  if (position === undefined) return 0;
  if (!/^\d{1,15}$/.test(position)) throw new InvalidPositionError(position, 'a whole number such as "42"');
  return Number(position);
}
