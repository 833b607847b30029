import type { Position } from '../../event-store/event-store.port';
import { PathKinds } from '../../read-store/embedded/document-shape';
import { prepareWrite, type PreparedWrite } from '../../read-store/embedded/prepared-write';
import type { CollectionDefinition, Filter, ReadDoc, ReadModelWrite } from '../../read-store/read-store.port';
import type { ProjectionTarget } from '../projector';

/** Asks the main thread, which holds the read store, and answers once it has committed every write sent before. */
export interface MainThread {
  getMany(collection: string, ids: readonly string[]): Promise<ReadDoc[]>;
  idsWhere(collection: string, filter: Filter): Promise<string[]>;
  /**
   * Hand over one batch's prepared write with its checkpoint (the main thread commits them in
   * order), and the record of paths of each collection the write extended (serialised PathKinds).
   */
  commit(
    projector: string,
    write: PreparedWrite,
    kinds: readonly (readonly [collection: string, kinds: string])[],
    checkpoint: Position,
  ): void;
}

/**
 * The read store as the projection worker sees it during a rebuild. The worker is the only writer
 * of the read models while the rebuild runs, so the documents it wrote are the current ones: it
 * keeps the most recently used in memory and never asks the main thread for them. A rebuilt
 * collection starts empty, so a document the worker never wrote there does not exist. Everything
 * else (a document evicted from memory, another collection's document) is asked of the main thread,
 * which answers after committing every write sent before the question (messages keep their order).
 */
export class WorkerReadStore implements ProjectionTarget {
  /** The documents it used most recently: `collection \0 id` → the document (null: known not to exist). */
  private readonly docs: RecentDocuments;
  /** Per rebuilt collection: every id written (or deleted) since it was emptied. */
  private readonly written = new Map<string, Set<string>>();
  /** Per collection: its text fields, and the kinds of the paths its documents have held here. */
  private readonly collections = new Map<string, { text: readonly string[]; kinds: PathKinds }>();

  constructor(
    private readonly main: MainThread,
    definitions: readonly CollectionDefinition[],
    /** Collections emptied at the start of the rebuild. */
    rebuilt: readonly string[],
    /** Documents kept in memory at most. */
    capacity: number,
  ) {
    this.docs = new RecentDocuments(capacity);
    for (const { name, text } of definitions) {
      this.collections.set(name, { text: text ?? [], kinds: PathKinds.empty() });
    }
    for (const name of rebuilt) this.written.set(name, new Set());
  }

  async getMany(collection: string, ids: readonly string[]): Promise<ReadDoc[]> {
    const found: ReadDoc[] = [];
    const ask: string[] = [];
    const written = this.written.get(collection);
    for (const id of ids) {
      const key = keyOf(collection, id);
      const known = this.docs.get(key);
      if (known !== undefined) {
        if (known !== null) found.push(known);
      } else if (written === undefined || written.has(id)) {
        ask.push(id);
      }
      // Otherwise: a rebuilt collection's document the worker never wrote does not exist.
    }
    if (ask.length === 0) return found;
    const answered = new Map((await this.main.getMany(collection, ask)).map((doc) => [doc.id, doc]));
    for (const id of ask) {
      const doc = answered.get(id) ?? null;
      this.docs.set(keyOf(collection, id), doc);
      if (doc !== null) found.push(doc);
    }
    return found;
  }

  idsWhere(collection: string, filter: Filter): Promise<string[]> {
    return this.main.idsWhere(collection, filter);
  }

  /**
   * Prepares the write here (checks, JSON, searchable text: `prepareWrite`), remembers the written
   * documents as the current ones and hands the write over; nothing to wait for.
   */
  async commit(projector: string, write: ReadModelWrite, checkpoint: Position): Promise<void> {
    const prepared = prepareWrite(
      write,
      (name) => this.collection(name).text,
      (name) => this.collection(name).kinds,
    );
    for (const { collection, doc } of write.upserts) {
      this.docs.set(keyOf(collection, doc.id), doc);
      this.written.get(collection)?.add(doc.id);
    }
    for (const { collection, id } of write.deletes) {
      this.docs.set(keyOf(collection, id), null);
      this.written.get(collection)?.add(id);
    }
    const kinds = prepared.extended.map((name) => [name, this.collection(name).kinds.serialise()] as const);
    this.main.commit(projector, prepared, kinds, checkpoint);
  }

  private collection(name: string): { text: readonly string[]; kinds: PathKinds } {
    const known = this.collections.get(name);
    if (known === undefined) throw new Error(`read-model collection "${name}" does not exist`);
    return known;
  }
}

/**
 * At most `capacity` documents, the most recently used kept: two generations of at most half the
 * capacity each. A document is set into (or, when used, moved up to) the young one; when the young
 * one is full it becomes the old one and the old one is dropped. Every operation takes constant
 * time (an LRU list over one Map had to skip the holes its deletions left on every eviction).
 */
export class RecentDocuments {
  private young = new Map<string, ReadDoc | null>();
  private old = new Map<string, ReadDoc | null>();
  private readonly half: number;

  constructor(capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 2) throw new Error('keep at least 2 documents');
    this.half = Math.floor(capacity / 2);
  }

  /** The document kept under `key` (null: known not to exist), or undefined when none is kept. */
  get(key: string): ReadDoc | null | undefined {
    const young = this.young.get(key);
    if (young !== undefined) return young;
    const old = this.old.get(key);
    if (old !== undefined) {
      this.old.delete(key);
      this.set(key, old);
    }
    return old;
  }

  set(key: string, doc: ReadDoc | null): void {
    if (!this.young.has(key) && this.young.size >= this.half) {
      this.old = this.young;
      this.young = new Map();
    }
    this.old.delete(key);
    this.young.set(key, doc);
  }

  get size(): number {
    return this.young.size + this.old.size;
  }
}

function keyOf(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}
