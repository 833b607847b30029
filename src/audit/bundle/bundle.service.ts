import { Inject, Injectable, ServiceUnavailableException } from '@nestjs/common';
import { CommandShell, type CommandContext } from '../../command-shell/command-shell';
import { classificationRank, type Actor, type Classification } from '../../domain-kernel/actor';
import { DomainError, conflict, notFound } from '../../domain-kernel/domain-error';
import { UnreadableEventError } from '../../event-store/event-store.errors';
import { readVerifiedStream } from '../../event-store/read-verified-stream';
import { EVENT_STORE, type EventStore, type RecordedEvent } from '../../event-store/event-store.port';
import { classificationsOf } from '../../history/domain/record-history';
import { accessDecider } from '../../records/access/access.decider';
import { accessStream } from '../../records/access/access.stream';
import { SEAL_STORE, type SealStore, type StoredCheckpoint } from '../sealer/seal-store.port';
import { SealerService } from '../sealer/sealer.service';
import {
  BUNDLE_FORMAT,
  BUNDLE_VERSION,
  destructionStreamOf,
  recordStreamOf,
  type AuditBundle,
  type BundleEvent,
  type BundleKind,
} from './bundle.format';

/** How long an export waits for the sealer to reach the record's newest event before answering 503. */
const SEAL_WAIT_MS = 3000;
const SEAL_POLL_MS = 20;

export const WITHHELD_ABOVE_CLEARANCE = 'names a record above your clearance (A2)';

/**
 * Builds export bundles and destruction certificates (docs/audit.md): the streams' stored events,
 * their inclusion proofs in one signed checkpoint that covers them all, and its verifier key.
 * Clearance as for a record's history (A2: hidden above the caller's clearance; 403 when it was once
 * classified above it), and an export of a SECRET-or-above record is registered with its purpose (A1).
 */
@Injectable()
export class BundleService {
  constructor(
    @Inject(EVENT_STORE) private readonly events: EventStore,
    @Inject(SealerService) private readonly sealer: SealerService,
    @Inject(SEAL_STORE) private readonly store: SealStore | null,
    @Inject(CommandShell) private readonly shell: CommandShell,
  ) {}

  /** `GET /records/{code}/export`. */
  async exportRecord(
    actor: Actor,
    archiveCode: string,
    purpose: string | undefined,
    context: Omit<CommandContext, 'reason'>,
  ): Promise<AuditBundle> {
    const record = await this.visibleRecord(actor, archiveCode, purpose, context);
    return this.build('record-export', archiveCode, undefined, record, []);
  }

  /** `GET /records/{code}/destruction-certificate` (D8). */
  async destructionCertificate(
    actor: Actor,
    archiveCode: string,
    purpose: string | undefined,
    context: Omit<CommandContext, 'reason'>,
  ): Promise<AuditBundle> {
    const record = await this.readRecord(actor, archiveCode);
    const destroyed = record.find((e) => e.type === 'Destroyed');
    if (!destroyed) {
      throw conflict(
        'RECORD_NOT_DESTROYED',
        `${archiveCode} has not been destroyed: a destruction certificate exists only for a destroyed record (D8); its history can be exported with GET /records/${archiveCode}/export`,
        'D8',
      );
    }
    const listId = String(destroyed.data.listId);
    const list = await readVerifiedStream(this.events, destructionStreamOf(listId));
    if (list.length === 0) {
      throw conflict(
        'DESTRUCTION_LIST_MISSING',
        `the Destroyed event of ${archiveCode} names list ${listId}, whose stream holds no event`,
        'D8',
      );
    }
    await this.register(actor, archiveCode, record, purpose, context);
    return this.build('destruction-certificate', archiveCode, listId, record, list, hiddenCodes(list, actor));
  }

  private async visibleRecord(
    actor: Actor,
    archiveCode: string,
    purpose: string | undefined,
    context: Omit<CommandContext, 'reason'>,
  ): Promise<RecordedEvent[]> {
    const record = await this.readRecord(actor, archiveCode);
    await this.register(actor, archiveCode, record, purpose, context);
    return record;
  }

  /** The record's stream, chain verified; 404 when absent or above the caller's clearance, 403 when it once was. */
  private async readRecord(actor: Actor, archiveCode: string): Promise<RecordedEvent[]> {
    const record = await readVerifiedStream(this.events, recordStreamOf(archiveCode));
    const classifications = classificationsOf(record);
    if (!classifications || rank(classifications.current) > rank(actor.clearance)) {
      throw notFound('RECORD_NOT_FOUND', `No record ${archiveCode}`);
    }
    if (rank(classifications.highest) > rank(actor.clearance)) {
      throw new DomainError(
        'forbidden',
        'ABOVE_CLEARANCE',
        `A2: the history of ${archiveCode} includes a time it was classified above your clearance`,
        { rule: 'A2' },
      );
    }
    return record;
  }

  /** A1: the export shows the whole history, so it is registered as a view of the history. */
  private async register(
    actor: Actor,
    archiveCode: string,
    record: readonly RecordedEvent[],
    purpose: string | undefined,
    context: Omit<CommandContext, 'reason'>,
  ): Promise<void> {
    const highest = (classificationsOf(record) as { highest: Classification }).highest;
    await this.shell.execute({
      decider: accessDecider,
      stream: accessStream(archiveCode),
      commandType: 'RegisterDetailView',
      command: { type: 'RegisterDetailView', archiveCode, purpose, classification: highest, view: 'history' },
      context: { ...context, actor, ...(purpose !== undefined ? { reason: purpose.trim() } : {}) },
    });
  }

  private async build(
    kind: BundleKind,
    archiveCode: string,
    listId: string | undefined,
    record: readonly RecordedEvent[],
    list: readonly RecordedEvent[],
    hidden: ReadonlySet<string> = new Set(),
  ): Promise<AuditBundle> {
    const all = [...record, ...list];
    const leafIndexes = await this.leafIndexesOf(all);
    const checkpoint = await this.checkpointCovering(Math.max(...leafIndexes));
    const sealer = this.sealer.running();
    const events: BundleEvent[] = [];
    for (const [i, event] of all.entries()) {
      const leafIndex = leafIndexes[i];
      const proof = await sealer.inclusionProof(leafIndex, checkpoint.treeSize);
      const withheld = event.stream !== recordStreamOf(archiveCode) && namesAny(event, hidden);
      events.push({
        position: event.position,
        leafIndex,
        stream: event.stream,
        revision: event.revision,
        hash: event.hash,
        ...(withheld
          ? { withheld: WITHHELD_ABOVE_CLEARANCE }
          : { canonical: Buffer.from(event.canonical).toString('base64') }),
        inclusionProof: proof.map((h) => h.toString('hex')),
      });
    }
    return {
      format: BUNDLE_FORMAT,
      version: BUNDLE_VERSION,
      kind,
      archiveCode,
      ...(listId !== undefined ? { listId } : {}),
      checkpoint: {
        note: checkpoint.note,
        treeSize: checkpoint.treeSize,
        verifierKey: checkpoint.verifierKey,
      },
      events,
    };
  }

  private seals(): SealStore {
    this.sealer.running();
    return this.store as SealStore;
  }

  /**
   * The leaf index of every event, from the seal store. Events the sealer has not reached yet are
   * waited for (bounded: 503 SEALER_BEHIND). An event the sealer passed without making it a leaf
   * is an integrity fault (503 INTEGRITY_FAULT).
   */
  private async leafIndexesOf(events: readonly RecordedEvent[]): Promise<number[]> {
    const sealer = this.sealer.running();
    const newest = events.reduce((a, b) =>
      this.events.comparePositions(a.position, b.position) >= 0 ? a : b,
    );
    const passed = () =>
      sealer.position !== undefined && this.events.comparePositions(sealer.position, newest.position) >= 0;
    const deadline = Date.now() + SEAL_WAIT_MS;
    while (!passed() && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, SEAL_POLL_MS));
    }
    if (!passed()) {
      throw new ServiceUnavailableException({
        statusCode: 503,
        error: 'SEALER_BEHIND',
        message: `the audit sealer has not yet sealed the record's newest event (position ${newest.position}; sealed up to ${sealer.position ?? 'nothing'}): retry shortly`,
      });
    }
    const found = await this.seals().leafIndexesOf(events.map((e) => e.position));
    return found.map((leafIndex, i) => {
      if (leafIndex === undefined) {
        throw new UnreadableEventError(
          events[i].position,
          `${events[i].stream}@${events[i].revision} is not a leaf of the sealed tree, though the sealer has passed its position`,
        );
      }
      return leafIndex;
    });
  }

  /**
   * A signed checkpoint whose tree holds leaf `leafIndex`: the latest if it does; otherwise wait
   * (bounded) for the sealer to append it, then have it sign now. 503 SEALER_BEHIND if it cannot.
   */
  private async checkpointCovering(leafIndex: number): Promise<StoredCheckpoint> {
    const sealer = this.sealer.running();
    const covers = (c: StoredCheckpoint | undefined): c is StoredCheckpoint => !!c && c.treeSize > leafIndex;
    if (covers(sealer.latestCheckpoint)) return sealer.latestCheckpoint;
    const deadline = Date.now() + SEAL_WAIT_MS;
    while (sealer.treeSize <= leafIndex && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, SEAL_POLL_MS));
    }
    if (sealer.treeSize > leafIndex) {
      const signed = await sealer.checkpoint();
      if (covers(signed)) return signed;
    }
    throw new ServiceUnavailableException({
      statusCode: 503,
      error: 'SEALER_BEHIND',
      message: `the audit sealer has not yet sealed the record's newest event (leaf ${leafIndex}; tree size ${sealer.treeSize}): retry shortly`,
    });
  }
}

function rank(classification: Classification): number {
  return classificationRank(classification);
}

/** Archive codes of list items above the caller's clearance, by the classification they were listed with (A2). */
function hiddenCodes(list: readonly RecordedEvent[], actor: Actor): Set<string> {
  const hidden = new Set<string>();
  for (const event of list) {
    if (event.type !== 'DestructionItemAdded') continue;
    const item = event.data.item as { archiveCode?: string; classification?: Classification } | undefined;
    if (item?.archiveCode && item.classification && rank(item.classification) > rank(actor.clearance)) {
      hidden.add(item.archiveCode);
    }
  }
  return hidden;
}

/** Whether an event of the list names one of the codes (a line, a check, the execution). */
function namesAny(event: RecordedEvent, codes: ReadonlySet<string>): boolean {
  if (codes.size === 0) return false;
  const data = event.data as Record<string, unknown>;
  const named: unknown[] = [
    (data.item as { archiveCode?: unknown } | undefined)?.archiveCode,
    data.archiveCode,
    ...asArray(data.archiveCodes),
    ...asArray((data.check as { archiveCodes?: unknown } | undefined)?.archiveCodes),
    ...asArray(data.destroyed),
    ...asArray(data.withheld),
  ];
  return named.some((code) => typeof code === 'string' && codes.has(code));
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
