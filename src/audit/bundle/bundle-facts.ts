import { destructionStreamOf, recordStreamOf, type AuditBundle } from './bundle.format';
import { fault, type ProvenDocument, type ProvenEvent } from './bundle-problem';

/**
 * The facts a verified bundle proves, read only from events whose bytes verified (pure). A
 * destruction certificate must prove who approved, who witnessed, when it was executed, under
 * which list and policy version; if its events do not, the certificate fails.
 */

export interface PersonFact {
  readonly id: string;
  readonly unit: string;
}

export interface HistoryLine {
  readonly revision: number;
  readonly position: string;
  readonly type: string;
  readonly actor: PersonFact;
  readonly occurredAt: string;
  readonly recordedAt: string;
}

export interface RecordFacts {
  readonly kind: 'record-export';
  readonly archiveCode: string;
  readonly stream: string;
  readonly title: string | null;
  readonly classification: string | null;
  readonly events: number;
  /** Revisions 0 … lastRevision, complete and unbroken up to the checkpoint (later events are not covered). */
  readonly lastRevision: number;
  readonly destroyed: boolean;
  readonly history: readonly HistoryLine[];
}

export interface ApprovalFact {
  readonly capacity: string;
  readonly role: string;
  readonly signer: PersonFact;
  readonly opinion: string;
  /** When the store recorded the signature. */
  readonly signedAt: string;
  readonly position: string;
}

export interface WitnessCheckFact {
  readonly capacity: string;
  readonly witness: PersonFact;
  /** null: the check names records above the requester's clearance and was withheld (A2). */
  readonly itemCount: number | null;
  readonly matched: boolean | null;
  readonly checkedAt: string | null;
}

export interface WitnessSignatureFact {
  readonly capacity: string;
  readonly witness: PersonFact;
  readonly remark: string | null;
  readonly signedAt: string;
}

export interface CertificateFacts {
  readonly kind: 'destruction-certificate';
  readonly archiveCode: string;
  readonly title: string | null;
  readonly classification: string | null;
  readonly listId: string;
  readonly listTitle: string;
  readonly businessUnit: string;
  readonly draftedBy: PersonFact;
  readonly policyVersion: number;
  readonly approvedAt: string;
  readonly approvals: readonly ApprovalFact[];
  readonly witnessChecks: readonly WitnessCheckFact[];
  readonly destroyedOn: string;
  /** Who recorded the destruction of this record (the executing archivist) and when. */
  readonly destroyedBy: PersonFact;
  readonly destroyedRecordedAt: string;
  readonly electronicContent: string | null;
  /** When the list's execution was recorded complete (DestructionExecuted), if in the bundle. */
  readonly listExecutedAt: string | null;
  /** Witnesses who signed after the destruction (D5); empty while none has. */
  readonly witnessSignatures: readonly WitnessSignatureFact[];
  readonly listCompleted: boolean;
  readonly recordEvents: number;
  readonly listEvents: number;
  /** Revisions of the list's stream whose content was withheld (A2): only their hashes are proven. */
  readonly withheldListRevisions: readonly number[];
}

type Doc = ProvenDocument;

function person(value: unknown): PersonFact {
  const p = (value ?? {}) as { id?: unknown; unit?: unknown };
  return { id: String(p.id), unit: String(p.unit) };
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function metadataOf(record: readonly Doc[]): { title: string | null; classification: string | null } {
  let title: string | null = null;
  let classification: string | null = null;
  for (const doc of record) {
    if (doc.type === 'ArchiveFiled') {
      title = str(doc.data.title);
      classification = str(doc.data.classification);
    } else if (doc.type === 'ClassificationChanged') {
      classification = str(doc.data.to) ?? classification;
    } else if (doc.type === 'MetadataCorrected' && doc.data.after && typeof doc.data.after === 'object') {
      title = str((doc.data.after as { title?: unknown }).title) ?? title;
    }
  }
  return { title, classification };
}

function documentsOf(events: readonly ProvenEvent[], stream: string): Doc[] {
  return events.filter((e) => e.stream === stream && e.document).map((e) => e.document as Doc);
}

export function recordFacts(bundle: AuditBundle, events: readonly ProvenEvent[]): RecordFacts {
  const stream = recordStreamOf(bundle.archiveCode);
  const docs = documentsOf(events, stream);
  const { title, classification } = metadataOf(docs);
  return {
    kind: 'record-export',
    archiveCode: bundle.archiveCode,
    stream,
    title,
    classification,
    events: docs.length,
    lastRevision: docs[docs.length - 1].revision,
    destroyed: docs.some((d) => d.type === 'Destroyed'),
    history: events
      .filter((e) => e.document)
      .map((e) => {
        const d = e.document as Doc;
        return {
          revision: d.revision,
          position: e.position,
          type: d.type,
          actor: person(d.metadata.actor),
          occurredAt: d.metadata.occurredAt,
          recordedAt: d.metadata.recordedAt,
        };
      }),
  };
}

const sameSigner = (a: unknown, b: unknown) => person(a).id === person(b).id;

export function certificateFacts(bundle: AuditBundle, events: readonly ProvenEvent[]): CertificateFacts {
  const listId = bundle.listId as string;
  const recordStream = recordStreamOf(bundle.archiveCode);
  const listStream = destructionStreamOf(listId);
  const record = documentsOf(events, recordStream);
  const list = documentsOf(events, listStream);
  const withheld = events.filter((e) => e.stream === listStream && e.withheld).map((e) => e.revision);
  const need = (what: string): never =>
    fault('certificate', 'events', `does not prove the destruction: ${what}`);

  const destroyed =
    record.find((d) => d.type === 'Destroyed') ?? need(`${recordStream} has no Destroyed event`);
  if (destroyed.data.listId !== listId) {
    fault(
      'certificate',
      'listId',
      `is ${listId}, but the record's Destroyed event names list ${String(destroyed.data.listId)}`,
    );
  }
  const drafted =
    list.find((d) => d.type === 'DestructionListDrafted') ??
    need(`${listStream} has no DestructionListDrafted`);
  const approved =
    list.find((d) => d.type === 'DestructionListApproved') ??
    need(`${listStream} has no DestructionListApproved`);
  const policyVersion = Number(approved.data.policyVersion);
  if (destroyed.data.policyVersion !== policyVersion) {
    need(
      `the Destroyed event cites policy version ${String(destroyed.data.policyVersion)}, the list was approved under ${policyVersion}`,
    );
  }

  // Who approved: every signature the Destroyed event cites, each given in its own signing event.
  const cited = (destroyed.data.signatures ?? []) as { capacity: string; signer: unknown; opinion: string }[];
  const approvedSignatures = (approved.data.signatures ?? []) as typeof cited;
  if (cited.length === 0) need('the Destroyed event cites no signature');
  const approvals = cited.map((signature) => {
    if (
      !approvedSignatures.some(
        (s) => s.capacity === signature.capacity && sameSigner(s.signer, signature.signer),
      )
    ) {
      need(
        `the signature of ${signature.capacity} by ${person(signature.signer).id} is not among the list's approvals`,
      );
    }
    const signedEvents = list.filter(
      (d) =>
        d.type === 'DestructionListSigned' &&
        (d.data.signature as { capacity?: string })?.capacity === signature.capacity &&
        sameSigner((d.data.signature as { signer?: unknown }).signer, signature.signer),
    );
    const signed =
      signedEvents[signedEvents.length - 1] ??
      need(`no DestructionListSigned event for ${signature.capacity} by ${person(signature.signer).id}`);
    const s = signed.data.signature as { capacity: string; role: string; signer: unknown; opinion: string };
    if (signed.metadata.actor.id !== person(s.signer).id) {
      need(
        `the signature of ${s.capacity} names ${person(s.signer).id} but was recorded by ${signed.metadata.actor.id}`,
      );
    }
    return {
      capacity: s.capacity,
      role: s.role,
      signer: person(s.signer),
      opinion: s.opinion,
      signedAt: signed.metadata.recordedAt,
      position: events.find((e) => e.document === signed)?.position ?? '',
    };
  });

  // Who witnessed: every witness the Destroyed event cites, each with their check before the destruction.
  const witnesses = (destroyed.data.witnesses ?? []) as { capacity: string; witness: unknown }[];
  if (witnesses.length === 0) need('the Destroyed event cites no witness');
  const witnessChecks = witnesses.map((w) => {
    const checks = list.filter(
      (d) =>
        d.type === 'WitnessCheckRecorded' &&
        (d.data.check as { capacity?: string })?.capacity === w.capacity &&
        sameSigner((d.data.check as { witness?: unknown }).witness, w.witness),
    );
    const check = checks[checks.length - 1];
    if (!check) {
      // Withheld (A2): the witness is still proven by the record's own Destroyed event.
      if (withheld.length > 0) {
        return {
          capacity: w.capacity,
          witness: person(w.witness),
          itemCount: null,
          matched: null,
          checkedAt: null,
        };
      }
      return need(`no WitnessCheckRecorded event for the ${w.capacity} witness ${person(w.witness).id}`);
    }
    const c = check.data.check as { capacity: string; witness: unknown; itemCount: number; matched: boolean };
    return {
      capacity: c.capacity,
      witness: person(c.witness),
      itemCount: Number(c.itemCount),
      matched: c.matched === true,
      checkedAt: check.metadata.recordedAt,
    };
  });

  const started = list.find((d) => d.type === 'DestructionExecutionStarted');
  if (started && !((started.data.archiveCodes ?? []) as string[]).includes(bundle.archiveCode)) {
    need(`the list's execution does not include ${bundle.archiveCode}`);
  }
  const executed = list.find((d) => d.type === 'DestructionExecuted');
  if (executed && !((executed.data.destroyed ?? []) as string[]).includes(bundle.archiveCode)) {
    need(`the list's DestructionExecuted does not name ${bundle.archiveCode} as destroyed`);
  }
  const { title, classification } = metadataOf(record);
  return {
    kind: 'destruction-certificate',
    archiveCode: bundle.archiveCode,
    title,
    classification,
    listId,
    listTitle: String(drafted.data.title),
    businessUnit: String(drafted.data.businessUnit),
    draftedBy: person(drafted.data.draftedBy),
    policyVersion,
    approvedAt: approved.metadata.recordedAt,
    approvals,
    witnessChecks,
    destroyedOn: String(destroyed.data.destroyedOn),
    destroyedBy: person(destroyed.metadata.actor),
    destroyedRecordedAt: destroyed.metadata.recordedAt,
    electronicContent: str(destroyed.data.electronicContent),
    listExecutedAt: executed?.metadata.recordedAt ?? null,
    witnessSignatures: list
      .filter((d) => d.type === 'DestructionWitnessSigned')
      .map((d) => ({
        capacity: String(d.data.capacity),
        witness: person(d.data.witness),
        remark: str(d.data.remark),
        signedAt: d.metadata.recordedAt,
      })),
    listCompleted: list.some((d) => d.type === 'DestructionListCompleted'),
    recordEvents: events.filter((e) => e.stream === recordStream).length,
    listEvents: events.filter((e) => e.stream === listStream).length,
    withheldListRevisions: withheld,
  };
}
