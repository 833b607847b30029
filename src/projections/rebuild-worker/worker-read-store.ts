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
  /** `collection \0 id` → the document (null: known not to exist), least recently used first. */
  private readonly docs = new Map<string, ReadDoc | null>();
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
    private readonly capacity: number,
  ) {
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
        this.touch(key, known);
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
      this.remember(keyOf(collection, id), doc);
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
      this.remember(keyOf(collection, doc.id), doc);
      this.written.get(collection)?.add(doc.id);
    }
    for (const { collection, id } of write.deletes) {
      this.remember(keyOf(collection, id), null);
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

  private touch(key: string, doc: ReadDoc | null): void {
    this.docs.delete(key);
    this.docs.set(key, doc);
  }

  private remember(key: string, doc: ReadDoc | null): void {
    this.touch(key, doc);
    if (this.docs.size <= this.capacity) return;
    // Maps iterate in insertion order: the first keys are the least recently used.
    for (const oldest of this.docs.keys()) {
      this.docs.delete(oldest);
      if (this.docs.size <= this.capacity) return;
    }
  }
}

function keyOf(collection: string, id: string): string {
  return `${collection}\u0000${id}`;
}
