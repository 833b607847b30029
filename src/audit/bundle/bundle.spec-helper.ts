import { GENESIS_HASH, sealEvent } from '../../event-store/envelope';
import type { JsonObject } from '../../event-store/event-store.port';
import { CompactRange, assembleProof, eventLeafHash, inclusionProofPlan, type NodeId } from '../merkle';
import {
  formatCheckpoint,
  formatVerifierKey,
  generateSigner,
  signNote,
  type NoteSigner,
} from '../signed-note';
import { BUNDLE_FORMAT, BUNDLE_VERSION, type AuditBundle, type BundleEvent } from './bundle.format';

/**
 * Synthetic logs for the verifier's specs: events sealed with the real envelope, a Merkle tree built
 * with the real appender, and a checkpoint signed with a fresh key — no service, no database.
 */
export const ORIGIN = 'archive-ledger.test/log';
export const CODE = 'Z001-WS-2010-D10-SALES-0001';
export const OTHER_CODE = 'Z001-WS-2010-D10-SALES-0002';
export const LIST_ID = 'XH-20260301-4F2A9C01';

interface LoggedEvent {
  readonly position: string;
  readonly stream: string;
  readonly revision: number;
  readonly hash: string;
  readonly canonical: Buffer;
  readonly type: string;
}

/** A plausible EventStoreDB position for the n-th event: commit/prepare pairs with gaps, not counts. */
export function eventStoreDbPosition(count: string): string {
  const offset = BigInt(count) * 4_096n + 18_446_744_000_000_000_000n - 1_000_000_000n;
  return `${offset}/${offset}`;
}

const actor = (id: string, unit: string, roles: string[]) => ({ id, unit, roles });

export class SyntheticLog {
  readonly events: LoggedEvent[] = [];
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  constructor(readonly signer: NoteSigner = generateSigner(ORIGIN)) {}

  append(
    stream: string,
    type: string,
    data: JsonObject,
    by = actor('wang.fang', 'ARCHIVE', ['archivist']),
    options: { prevHash?: string } = {},
  ): this {
    const head = this.heads.get(stream);
    const revision = head ? head.revision + 1 : 0;
    const at = new Date(Date.UTC(2026, 2, 1, 9, 0, this.events.length)).toISOString();
    const sealed = sealEvent(
      stream,
      revision,
      options.prevHash ?? head?.hash ?? GENESIS_HASH,
      {
        eventId: `00000000-0000-4000-8000-${String(this.events.length).padStart(12, '0')}`,
        type,
        data,
        metadata: { actor: by, occurredAt: at, correlationId: 'c', causationId: 'c', schemaVersion: 1 },
      },
      at,
    );
    this.heads.set(stream, { revision, hash: sealed.hash });
    this.events.push({
      position: String(this.events.length + 1),
      stream,
      revision,
      hash: sealed.hash,
      canonical: sealed.canonical,
      type,
    });
    return this;
  }

  /** A bundle of the given streams against a checkpoint of `treeSize` leaves (default: all). */
  bundle(
    kind: AuditBundle['kind'],
    streams: readonly string[],
    options: {
      treeSize?: number;
      listId?: string;
      withhold?: (e: LoggedEvent) => boolean;
      /** 1: the previous format (no leafIndex; leaf = position − 1). Default: the current one. */
      version?: 1 | 2;
      /** Positions as EventStoreDB reports them ("<commit>/<prepare>", not counts) instead of counts. */
      eventStoreDbPositions?: boolean;
    } = {},
  ): AuditBundle {
    const version = options.version ?? BUNDLE_VERSION;
    const treeSize = options.treeSize ?? this.events.length;
    const nodes = new Map<string, Buffer>();
    const range = CompactRange.empty();
    for (const event of this.events.slice(0, treeSize)) {
      for (const node of range.append(eventLeafHash(event.hash)))
        nodes.set(`${node.level}/${node.index}`, node.hash);
    }
    const read = (id: NodeId) => nodes.get(`${id.level}/${id.index}`) as Buffer;
    const note = signNote(
      formatCheckpoint({ origin: ORIGIN, treeSize, rootHash: range.root(), extensions: [] }),
      [this.signer],
    );
    const events: BundleEvent[] = streams.flatMap((stream) =>
      this.events
        .filter((e) => e.stream === stream)
        .map((e) => ({
          position: options.eventStoreDbPositions ? eventStoreDbPosition(e.position) : e.position,
          ...(version === 1 ? {} : { leafIndex: Number(e.position) - 1 }),
          stream: e.stream,
          revision: e.revision,
          hash: e.hash,
          ...(options.withhold?.(e)
            ? { withheld: 'names a record above your clearance (A2)' }
            : { canonical: e.canonical.toString('base64') }),
          inclusionProof: assembleProof(inclusionProofPlan(Number(e.position) - 1, treeSize), read).map((h) =>
            h.toString('hex'),
          ),
        })),
    );
    return {
      format: BUNDLE_FORMAT,
      version,
      kind,
      archiveCode: CODE,
      ...(options.listId ? { listId: options.listId } : {}),
      checkpoint: { note, treeSize, verifierKey: this.verifierKey },
      events,
    };
  }

  get verifierKey(): string {
    return formatVerifierKey(this.signer.name, this.signer.publicKey);
  }
}

const person = (id: string, unit: string) => ({ id, unit });
const signature = (capacity: string, role: string, id: string, unit: string) => ({
  capacity,
  role,
  signer: person(id, unit),
  opinion: '同意销毁',
});
export const SIGNATURES = [
  signature('leader_in_charge', 'deputy_gm', 'zhao.gang', 'MGMT'),
  signature('office_head', 'department_head', 'qian.li', 'OFFICE'),
];
export const WITNESSES = [
  { capacity: 'archive', witness: person('song.jie', 'ARCHIVE') },
  { capacity: 'business', witness: person('deng.hui', 'SALES') },
];

const item = (archiveCode: string, classification: string) => ({
  archiveCode,
  documentNumber: null,
  responsibleParty: '销售部',
  title: `合同 ${archiveCode}`,
  dateFormed: '2010-03-15',
  retentionClass: 'D10',
  yearsKept: 16,
  classification,
  appraisalId: 'AP1',
});

/** A record filed, another record filed, a hold placed and released on the first: a small export. */
export function recordExportLog(): SyntheticLog {
  return new SyntheticLog()
    .append(`record-${CODE}`, 'ArchiveFiled', {
      archiveCode: CODE,
      title: '供货合同',
      classification: 'INTERNAL',
    })
    .append('record-OTHER', 'ArchiveFiled', { archiveCode: 'OTHER', title: 'x', classification: 'PUBLIC' })
    .append(`record-${CODE}`, 'HoldPlaced', { holdId: 'H1', kind: 'legal', reason: '涉诉' })
    .append(`record-${CODE}`, 'HoldReleased', { holdId: 'H1', reason: '结案' });
}

/** A record filed and a list drafted, but nothing destroyed: no certificate can verify (D8). */
export function notDestroyedLog(): SyntheticLog {
  return new SyntheticLog()
    .append(`record-${CODE}`, 'ArchiveFiled', { archiveCode: CODE, title: 't', classification: 'INTERNAL' })
    .append(`destruction-${LIST_ID}`, 'DestructionListDrafted', {
      listId: LIST_ID,
      title: 't',
      businessUnit: 'SALES',
      policy: { version: 1 },
      draftedBy: { id: 'a', unit: 'b' },
    });
}

/** A record filed, a list drafted, signed, witnessed and executed: the record destroyed (D3, D5, D6). */
export function destroyedRecordLog(): SyntheticLog {
  const log = new SyntheticLog();
  const record = `record-${CODE}`;
  const list = `destruction-${LIST_ID}`;
  log.append(record, 'ArchiveFiled', {
    archiveCode: CODE,
    title: '华东精密机械有限公司2010年度供货合同',
    classification: 'INTERNAL',
  });
  log.append(`record-${OTHER_CODE}`, 'ArchiveFiled', {
    archiveCode: OTHER_CODE,
    title: '秘密合同',
    classification: 'SECRET',
  });
  log.append(list, 'DestructionListDrafted', {
    listId: LIST_ID,
    title: '2026年第一批到期档案销毁清册',
    businessUnit: 'SALES',
    policy: { version: 1 },
    draftedBy: person('wang.fang', 'ARCHIVE'),
  });
  log.append(list, 'DestructionItemAdded', {
    listId: LIST_ID,
    item: item(CODE, 'INTERNAL'),
    addedBy: person('wang.fang', 'ARCHIVE'),
  });
  log.append(list, 'DestructionItemAdded', {
    listId: LIST_ID,
    item: item(OTHER_CODE, 'SECRET'),
    addedBy: person('wang.fang', 'ARCHIVE'),
  });
  SIGNATURES.forEach((s, i) =>
    log.append(
      list,
      'DestructionListSigned',
      { listId: LIST_ID, signature: s, outstanding: SIGNATURES.length - i - 1 },
      actor(s.signer.id, s.signer.unit, [s.role]),
    ),
  );
  log.append(list, 'DestructionListApproved', { listId: LIST_ID, policyVersion: 1, signatures: SIGNATURES });
  for (const w of WITNESSES) {
    log.append(
      list,
      'WitnessCheckRecorded',
      {
        listId: LIST_ID,
        check: { ...w, itemCount: 2, archiveCodes: [CODE, OTHER_CODE], matched: true, discrepancies: [] },
      },
      actor(w.witness.id, w.witness.unit, ['witness']),
    );
  }
  log.append(list, 'DestructionExecutionStarted', {
    listId: LIST_ID,
    destroyedOn: '2026-03-01',
    executedBy: { id: 'wang.fang', unit: 'ARCHIVE', roles: ['archivist'], clearance: 'SECRET' },
    archiveCodes: [CODE, OTHER_CODE],
  });
  log.append(record, 'Destroyed', {
    listId: LIST_ID,
    destroyedOn: '2026-03-01',
    policyVersion: 1,
    signatures: SIGNATURES,
    witnesses: WITNESSES,
    electronicContent: 'none_held',
  });
  log.append(list, 'DestructionExecuted', {
    listId: LIST_ID,
    destroyedOn: '2026-03-01',
    destroyed: [CODE, OTHER_CODE],
    withheld: [],
  });
  log.append(
    list,
    'DestructionWitnessSigned',
    { listId: LIST_ID, capacity: 'archive', witness: person('song.jie', 'ARCHIVE'), remark: '已监销' },
    actor('song.jie', 'ARCHIVE', ['witness']),
  );
  return log;
}
