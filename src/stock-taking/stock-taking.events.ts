import type { Classification } from '../domain-kernel/actor';
import type { DomainEvent } from '../domain-kernel/decider';
import type { PersonRef } from '../records/record.events';
import type { TransferExecutor } from '../transfer/transfer.events';

/**
 * The events of a stock-take (清点, X2), stream `stocktake-{stockTakeId}`. Records found missing
 * get `MarkedMissing` on their own streams when the stock-take is closed, and `FoundAgain` when
 * a later one finds them.
 */

/** What the ledger says of a record, as a stock-take compares it with the shelves. */
export interface LedgerEntry {
  readonly archiveCode: string;
  readonly title: string;
  readonly classification: Classification;
  readonly shelfLocation: string;
  readonly custody: 'in_custody' | 'transferred' | 'destroyed';
  /** Out on a loan (handed over, not returned): its substitute card stands on the shelf (B11). */
  readonly onLoan: boolean;
  /** Already flagged missing (X2). */
  readonly missing: boolean;
}

/** One record seen on a shelf: the code on its label and where it stood. */
export interface Finding {
  readonly archiveCode: string;
  readonly location: string;
  /** The record as the ledger knew it when the finding was recorded; null for a code the ledger does not know. */
  readonly ledger: { readonly title: string; readonly classification: Classification } | null;
}

/**
 * What a closed stock-take found wrong (账物不符):
 * - `missing`: in the ledger at a location in scope, not found and not out on loan;
 * - `misplaced`: found somewhere other than the ledger's location;
 * - `unknown_code`: found, but no record has this code;
 * - `left_custody`: found, but the ledger says it was transferred or destroyed;
 * - `found_while_on_loan`: found on a shelf while the ledger says it is out on loan.
 */
export const DISCREPANCY_KINDS = [
  'missing',
  'misplaced',
  'unknown_code',
  'left_custody',
  'found_while_on_loan',
] as const;
export type DiscrepancyKind = (typeof DISCREPANCY_KINDS)[number];

export interface Discrepancy {
  readonly kind: DiscrepancyKind;
  readonly archiveCode: string;
  readonly title: string | null;
  readonly classification: Classification | null;
  /** Where the ledger says it is (null: the ledger does not know the code). */
  readonly ledgerLocation: string | null;
  /** Where it was found (null: not found). */
  readonly foundAt: string | null;
  /** `missing` only: flagged by an earlier stock-take already and still not found. */
  readonly alreadyMissing?: boolean;
  /** `left_custody` only: what the ledger says happened to it. */
  readonly custody?: 'transferred' | 'destroyed';
}

/** A record in scope not on its shelf because it is out on loan: accounted for by its substitute card. */
export interface AccountedOnLoan {
  readonly archiveCode: string;
  readonly classification: Classification;
  readonly shelfLocation: string;
}

/** A record flagged missing that this stock-take found. */
export interface FoundRecord {
  readonly archiveCode: string;
  readonly classification: Classification;
  readonly foundAt: string;
}

/** 清点报告 — the report of a closed stock-take. Counts are by classification rank (0 PUBLIC … 4 TOP_SECRET), so each reader's counts leave out what they may not see (A2). */
export interface StockTakeReport {
  /** Records in custody at the locations in scope, per the ledger, by rank. */
  readonly expectedByRank: readonly number[];
  /** Of those, found where the ledger says, by rank. */
  readonly matchedByRank: readonly number[];
  readonly discrepancies: readonly Discrepancy[];
  readonly accountedOnLoan: readonly AccountedOnLoan[];
  readonly foundAgain: readonly FoundRecord[];
}

/** 清点 opened: an archivist checks the shelves at these locations (each a prefix: `A-03` covers `A-03-02-15`). */
export type StockTakeOpened = DomainEvent<
  'StockTakeOpened',
  {
    readonly stockTakeId: string;
    readonly locations: readonly string[];
    readonly note: string | null;
    readonly openedBy: PersonRef;
  }
>;

export type FindingsRecorded = DomainEvent<
  'FindingsRecorded',
  { readonly stockTakeId: string; readonly findings: readonly Finding[]; readonly recordedBy: PersonRef }
>;

/** Closed, with its report. The flags on the records follow (StockTakeReconciled once they are set). */
export type StockTakeClosed = DomainEvent<
  'StockTakeClosed',
  {
    readonly stockTakeId: string;
    readonly report: StockTakeReport;
    readonly closedBy: PersonRef;
    /** Who sets the flags on the records; a close interrupted by a restart finishes under this identity. */
    readonly executor: TransferExecutor;
  }
>;

/** The records were flagged missing or found again, as the report says. */
export type StockTakeReconciled = DomainEvent<
  'StockTakeReconciled',
  {
    readonly stockTakeId: string;
    readonly flaggedMissing: readonly string[];
    readonly foundAgain: readonly string[];
    /** Records a rule refused to flag after the close (lent out in between, say). */
    readonly skipped: readonly {
      readonly archiveCode: string;
      readonly code: string;
      readonly message: string;
    }[];
  }
>;

export type StockTakeEvent = StockTakeOpened | FindingsRecorded | StockTakeClosed | StockTakeReconciled;

export const STOCK_TAKE_EVENT_TYPES = [
  'StockTakeOpened',
  'FindingsRecorded',
  'StockTakeClosed',
  'StockTakeReconciled',
] as const satisfies readonly StockTakeEvent['type'][];
