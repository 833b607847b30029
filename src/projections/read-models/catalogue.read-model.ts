import { classificationRank, type Classification } from '../../domain-kernel/actor';
import { assertNever } from '../../domain-kernel/decider';
import type { JsonValue, RecordedEvent } from '../../event-store/event-store.port';
import type { PartialIndex, ReadDoc } from '../../read-store/read-store.port';
import type { RetentionClass } from '../../records/archive-code';
import {
  RECORD_EVENT_TYPES,
  type Borrower,
  type Carrier,
  type DamageCondition,
  type HoldKind,
  type LoanMode,
  type RecordEvent,
  type RecordMetadata,
} from '../../records/record.events';
import { recordUnit, retentionExpiresOn } from '../../records/record.state';
import type { ReadModel } from '../read-model';

/**
 * 档案目录 — the catalogue: one document per record (id = archive code), fed by the record's own
 * stream `record-{archiveCode}`. It holds the record's current metadata (F1, with corrections F5,
 * classification changes F6 and retention extensions R2 applied) and the facts the catalogue
 * filters on: custody, loans out, holds, retention due date (R1/R4), late filing (F4), damage (B10).
 */

/** Where the record is held: in custody, destroyed (D6) or transferred out (X1). */
export type Custody = 'in_custody' | 'destroyed' | 'transferred';

/** A loan that is out (handed over, not returned): what its substitute card shows (B11). */
export interface CatalogueLoanOut {
  readonly loanId: string;
  /** Staff: `id（unit）`; external: `name（organisation）`. */
  readonly borrower: string;
  readonly mode: LoanMode;
  readonly handedOverAt: string;
  readonly dueAt: string;
}

export interface CatalogueHold {
  readonly holdId: string;
  readonly kind: HoldKind;
  readonly reason: string;
}

export interface CatalogueDamage {
  readonly reportId: string;
  readonly loanId: string | null;
  readonly condition: DamageCondition;
  readonly description: string;
}

/** One catalogue document. Optional metadata absent from the record is `null`, never missing. */
export interface CatalogueDoc {
  readonly id: string;
  // ── F1 metadata, current ──
  readonly archiveCode: string;
  readonly fonds: string;
  readonly category: string;
  readonly year: number;
  readonly retentionClass: RetentionClass;
  readonly organisationalUnit: string;
  readonly title: string;
  readonly responsibleParty: string;
  readonly documentNumber: string | null;
  readonly dateFormed: string;
  readonly carrier: Carrier;
  readonly itemCount: number;
  readonly pageCount: number | null;
  readonly classification: Classification;
  readonly custodianDepartment: string;
  readonly shelfLocation: string;
  readonly counterparty: string | null;
  readonly keywords: readonly string[];
  readonly isOriginal: boolean;
  readonly copyReason: string | null;
  // ── derived and lifecycle facts ──
  /** 0 PUBLIC … 4 TOP_SECRET: every query filters on it (A2). */
  readonly classificationRank: number;
  /** The unit that formed the record: the `{unit}` of its archive code. */
  readonly unit: string;
  readonly custody: Custody;
  /** A loan is out: handed over and not returned. */
  readonly onLoan: boolean;
  /** The most recently handed-over loan still out, or null. */
  readonly openLoan: CatalogueLoanOut | null;
  /** Every loan out (reading room, copy and lend-out loans may overlap). */
  readonly loansOut: readonly CatalogueLoanOut[];
  /** Loans ever registered on the record. */
  readonly loanCount: number;
  /** Under at least one active legal or audit hold (R6). */
  readonly held: boolean;
  /** The active holds. */
  readonly holds: readonly CatalogueHold[];
  /** X2: flagged missing at stock-taking (always false until stock-taking is built). */
  readonly missing: boolean;
  /** R1/R4: the day retention expires (YYYY-MM-DD); null for PERMANENT records. */
  readonly retentionDueOn: string | null;
  /** When the store recorded the filing (envelope `recordedAt` of ArchiveFiled). */
  readonly filedAt: string;
  readonly filedYear: number;
  /** `YYYY-MM` of `filedAt`: the intake statistics group by it. */
  readonly filedMonth: string;
  /** F4: the last day the record should have been filed by (see `filingDeadline`). */
  readonly filingDeadline: string;
  /** F4: filed after its filing deadline. Advisory only: filing is never refused for it. */
  readonly lateFiling: boolean;
  /** B10: damage and loss reported, kept visible. */
  readonly damage: readonly CatalogueDamage[];
  /** F5: corrections applied. */
  readonly corrections: number;
  /** `YYYY-MM` of the destruction (D6); null while the record is not destroyed. */
  readonly destroyedMonth: string | null;
  /** `YYYY-MM` of the transfer out (X1); null until transfer is built and done. */
  readonly transferredMonth: string | null;
}

export const CATALOGUE = 'catalogue';

/**
 * F4: the filing deadline of a record — the end of the first half of the year after the year it
 * was formed (seed regulations: 次年6月底前归档), i.e. `{year formed + 1}-06-30`. A record is a late
 * filing when the UTC date of its filing (`filedAt`) is after that day.
 */
export function filingDeadline(dateFormed: string): string {
  const yearFormed = Number(dateFormed.slice(0, 4));
  return `${String(yearFormed + 1).padStart(4, '0')}-06-30`;
}

export function isLateFiling(dateFormed: string, filedAt: string): boolean {
  return filedAt.slice(0, 10) > filingDeadline(dateFormed);
}

const RECORD_STREAM_PREFIX = 'record-';
const RECORD_EVENTS: ReadonlySet<string> = new Set(RECORD_EVENT_TYPES);

/**
 * The fields every filter and sort of `GET /records` uses, each indexed together with the clearance
 * rank (A2). Not `custody`: the index with the retention due date below serves it. Not
 * `archiveCode`: it is the document's id, so its order is the id order every index ends with (the
 * catalogue service sorts by `id`), and nothing filters the catalogue by it.
 */
const INDEXED_FIELDS = [
  'fonds',
  'category',
  'year',
  'retentionClass',
  'classification',
  'lateFiling',
  'unit',
  'shelfLocation',
  'title',
  'dateFormed',
  'filedAt',
  'filedMonth',
] as const;

/**
 * Fields the queries only ask for a value or range of (a counterparty, destructions and transfers
 * per month): indexed over only the records where they are set. Most records have no destruction
 * or transfer month, and many no counterparty.
 */
const INDEXED_WHEN_SET = ['counterparty', 'destroyedMonth', 'transferredMonth'] as const;

/** Flags the status filters only ask to be true (on loan, held, missing): indexed over those records. */
const INDEXED_WHEN_TRUE = ['onLoan', 'held', 'missing'] as const;

export const catalogueReadModel: ReadModel = {
  collection: {
    name: CATALOGUE,
    indexes: [
      ['classificationRank'],
      ...INDEXED_FIELDS.map((field) => [field, 'classificationRank']),
      ...INDEXED_WHEN_SET.map((field): PartialIndex => ({
        fields: [field, 'classificationRank'],
        only: field,
        is: 'set',
      })),
      ...INDEXED_WHEN_TRUE.map((field): PartialIndex => ({
        fields: [field, 'classificationRank'],
        only: field,
        is: { equals: true },
      })),
      // Classification with retention class: the holdings statistics' pair, and a filter pair whose
      // single-field indexes each match a large part of the catalogue (a page read every candidate).
      ['classification', 'retentionClass', 'classificationRank'],
      // Custody (in custody, destroyed, transferred), and records in custody due for appraisal by
      // a date, soonest first (R4, and status due_for_appraisal): both conditions and the order
      // from one index. With a custody index of its own, SQLite took that one for R4 and read
      // every record in custody to test its date.
      ['custody', 'retentionDueOn', 'classificationRank'],
      // Category with year: the catalogue's most common pair of filters (and the holdings
      // statistics'); alone, the category index leaves every document of the category to read.
      ['category', 'year', 'classificationRank'],
    ],
    text: ['title', 'responsibleParty', 'documentNumber', 'keywords', 'counterparty'],
  },

  route(event) {
    if (!event.stream.startsWith(RECORD_STREAM_PREFIX)) return undefined;
    return [event.stream.slice(RECORD_STREAM_PREFIX.length)];
  },

  apply(doc, event) {
    if (!RECORD_EVENTS.has(event.type)) return doc;
    const recordEvent = event as unknown as RecordEvent;
    if (recordEvent.type === 'ArchiveFiled') {
      return toReadDoc(filed(recordEvent.data, event));
    }
    if (doc === undefined) return undefined;
    const current = doc as unknown as CatalogueDoc;
    const next = evolveCatalogue(current, recordEvent, event);
    return next === current ? doc : toReadDoc(next);
  },
};

function toReadDoc(doc: CatalogueDoc): ReadDoc {
  return doc as unknown as ReadDoc;
}

function filed(metadata: RecordMetadata, event: RecordedEvent): CatalogueDoc {
  const filedAt = event.metadata.recordedAt;
  return withDerivedFacts({
    id: metadata.archiveCode,
    archiveCode: metadata.archiveCode,
    fonds: metadata.fonds,
    category: metadata.category,
    year: metadata.year,
    retentionClass: metadata.retentionClass,
    organisationalUnit: metadata.organisationalUnit,
    title: metadata.title,
    responsibleParty: metadata.responsibleParty,
    documentNumber: metadata.documentNumber ?? null,
    dateFormed: metadata.dateFormed,
    carrier: metadata.carrier,
    itemCount: metadata.itemCount,
    pageCount: metadata.pageCount ?? null,
    classification: metadata.classification,
    custodianDepartment: metadata.custodianDepartment,
    shelfLocation: metadata.shelfLocation,
    counterparty: metadata.counterparty ?? null,
    keywords: [...metadata.keywords],
    isOriginal: metadata.isOriginal,
    copyReason: metadata.copyReason ?? null,
    classificationRank: 0,
    unit: recordUnit(metadata),
    custody: 'in_custody',
    onLoan: false,
    openLoan: null,
    loansOut: [],
    loanCount: 0,
    held: false,
    holds: [],
    missing: false,
    retentionDueOn: null,
    filedAt,
    filedYear: Number(filedAt.slice(0, 4)),
    filedMonth: filedAt.slice(0, 7),
    filingDeadline: '',
    lateFiling: false,
    damage: [],
    corrections: 0,
    destroyedMonth: null,
    transferredMonth: null,
  });
}

/** Recomputes what follows from the metadata: clearance rank, retention due date, filing deadline. */
function withDerivedFacts(doc: CatalogueDoc): CatalogueDoc {
  return {
    ...doc,
    classificationRank: classificationRank(doc.classification),
    retentionDueOn: retentionExpiresOn(doc) ?? null,
    filingDeadline: filingDeadline(doc.dateFormed),
    lateFiling: isLateFiling(doc.dateFormed, doc.filedAt),
  };
}

function withLoansOut(doc: CatalogueDoc, loansOut: readonly CatalogueLoanOut[]): CatalogueDoc {
  return {
    ...doc,
    loansOut,
    onLoan: loansOut.length > 0,
    openLoan: loansOut.length > 0 ? loansOut[loansOut.length - 1] : null,
  };
}

function withHolds(doc: CatalogueDoc, holds: readonly CatalogueHold[]): CatalogueDoc {
  return { ...doc, holds, held: holds.length > 0 };
}

/** `id（unit）` for staff, `name（organisation）` for an external borrower (外单位). */
export function borrowerDisplay(borrower: Borrower): string {
  return borrower.type === 'staff'
    ? `${borrower.id}（${borrower.unit}）`
    : `${borrower.name}（${borrower.organisation}）`;
}

function evolveCatalogue(
  doc: CatalogueDoc,
  event: Exclude<RecordEvent, { type: 'ArchiveFiled' }>,
  recorded: RecordedEvent,
): CatalogueDoc {
  switch (event.type) {
    case 'MetadataCorrected': {
      const changed: Record<string, JsonValue> = {};
      for (const [field, value] of Object.entries(event.data.after)) {
        // null clears an optional field (F5); the catalogue keeps absent fields as null.
        changed[field] = (value ?? null) as JsonValue;
      }
      return withDerivedFacts({ ...doc, ...changed, corrections: doc.corrections + 1 });
    }
    case 'ClassificationChanged':
      return withDerivedFacts({ ...doc, classification: event.data.to });
    case 'RetentionExtended':
      return withDerivedFacts({ ...doc, retentionClass: event.data.to });
    case 'LoanRequested':
      return { ...doc, loanCount: doc.loanCount + 1 };
    case 'Borrowed': {
      const { loanId, borrower, mode, handedOverAt, dueAt } = event.data;
      const out: CatalogueLoanOut = {
        loanId,
        borrower: borrowerDisplay(borrower),
        mode,
        handedOverAt,
        dueAt,
      };
      return withLoansOut(doc, [...doc.loansOut.filter((l) => l.loanId !== loanId), out]);
    }
    case 'LoanRenewed':
      return withLoansOut(
        doc,
        doc.loansOut.map((l) => (l.loanId === event.data.loanId ? { ...l, dueAt: event.data.dueAt } : l)),
      );
    case 'Returned':
      return withLoansOut(
        doc,
        doc.loansOut.filter((l) => l.loanId !== event.data.loanId),
      );
    case 'HoldPlaced': {
      const { holdId, kind, reason } = event.data;
      return withHolds(doc, [...doc.holds.filter((h) => h.holdId !== holdId), { holdId, kind, reason }]);
    }
    case 'HoldReleased':
      return withHolds(
        doc,
        doc.holds.filter((h) => h.holdId !== event.data.holdId),
      );
    case 'DamageReported': {
      const { reportId, loanId, condition, description } = event.data;
      if (doc.damage.some((d) => d.reportId === reportId)) return doc;
      return {
        ...doc,
        damage: [...doc.damage, { reportId, loanId: loanId ?? null, condition, description }],
      };
    }
    // ── Transfer and stock-taking (X1, X2)
    case 'Transferred':
      // X1: out of custody; the month is when the completion carried it out (occurredAt, UTC).
      return {
        ...doc,
        custody: 'transferred',
        transferredMonth: new Date(Date.parse(recorded.metadata.occurredAt)).toISOString().slice(0, 7),
      };
    case 'MarkedMissing':
      return { ...doc, missing: true };
    case 'FoundAgain':
      return { ...doc, missing: false };
    // ── Appraisal and destruction (R4, R5, D1–D8)
    case 'Destroyed':
      // D6: out of custody for good; metadata stays, statistics count it in its month.
      return { ...doc, custody: 'destroyed', destroyedMonth: event.data.destroyedOn.slice(0, 7) };
    case 'AppraisalRecorded':
      return doc;
    case 'MetadataCorrectionProposed':
    case 'MetadataCorrectionRejected':
    case 'LoanApprovalGiven':
    case 'LoanApproved':
    case 'LoanRefused':
    case 'LoanWithdrawn':
    case 'LoanRenewalRequested':
    case 'LoanRenewalApprovalGiven':
    case 'LoanRenewalRefused':
    case 'OverdueReminderSent':
    case 'UtilisationRecorded':
      return doc;
    default:
      return assertNever(event);
  }
}
