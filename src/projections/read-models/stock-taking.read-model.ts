import { classificationRank } from '../../domain-kernel/actor';
import { assertNever } from '../../domain-kernel/decider';
import type { RecordedEvent } from '../../event-store/event-store.port';
import type { ReadDoc } from '../../read-store/read-store.port';
import type { PersonRef } from '../../records/record.events';
import {
  STOCK_TAKE_EVENT_TYPES,
  type StockTakeEvent,
  type StockTakeReport,
} from '../../stock-taking/stock-taking.events';
import type { ReadModel } from '../read-model';

/**
 * 清点报告 — the stock-taking reports (X2): one document per stock-take (id = the stock-take id),
 * fed by its own stream `stocktake-{stockTakeId}`: the scope, every finding, and once closed the
 * report of discrepancies and which records were flagged missing or found again.
 *
 * A stock-take as such is not classified (`classificationRank` 0); its findings and report entries
 * carry the classification of the record they name, and the queries hide those above the caller's
 * clearance, counts included (A2).
 */
export interface StockTakeFindingDoc {
  readonly archiveCode: string;
  readonly location: string;
  readonly title: string | null;
  readonly classification: string | null;
  /** 0 for a code the ledger does not know: a label seen on a shelf reveals nothing. */
  readonly classificationRank: number;
  readonly recordedBy: PersonRef;
  readonly recordedAt: string;
}

export type StockTakeStatus = 'open' | 'closing' | 'closed';

export interface StockTakeDoc {
  readonly id: string;
  readonly stockTakeId: string;
  readonly status: StockTakeStatus;
  readonly locations: readonly string[];
  readonly note: string | null;
  readonly openedBy: PersonRef;
  readonly openedAt: string;
  /** One per code, the latest location it was found at. */
  readonly findings: readonly StockTakeFindingDoc[];
  readonly report: StockTakeReport | null;
  readonly closedBy: PersonRef | null;
  readonly closedAt: string | null;
  readonly reconciliation: {
    readonly flaggedMissing: readonly string[];
    readonly foundAgain: readonly string[];
    readonly skipped: readonly {
      readonly archiveCode: string;
      readonly code: string;
      readonly message: string;
    }[];
    readonly reconciledAt: string;
  } | null;
  readonly classificationRank: number;
  readonly updatedAt: string;
}

export const STOCK_TAKING = 'stock_taking';

const STOCK_TAKE_STREAM_PREFIX = 'stocktake-';
const STOCK_TAKE_TYPES: ReadonlySet<string> = new Set(STOCK_TAKE_EVENT_TYPES);

function asStockTakeEvent(event: RecordedEvent): StockTakeEvent | undefined {
  if (!event.stream.startsWith(STOCK_TAKE_STREAM_PREFIX) || !STOCK_TAKE_TYPES.has(event.type))
    return undefined;
  return { type: event.type, data: event.data } as unknown as StockTakeEvent;
}

export const stockTakingReadModel: ReadModel = {
  collection: {
    name: STOCK_TAKING,
    indexes: [
      ['openedAt', 'classificationRank'],
      ['status', 'openedAt', 'classificationRank'],
    ],
  },

  route(event) {
    const e = asStockTakeEvent(event);
    return e ? [e.data.stockTakeId] : undefined;
  },

  apply(doc, event) {
    const e = asStockTakeEvent(event);
    if (!e) return doc;
    const at = event.metadata.occurredAt;
    if (e.type === 'StockTakeOpened') {
      if (doc) return doc;
      const { stockTakeId, locations, note, openedBy } = e.data;
      const opened: StockTakeDoc = {
        id: stockTakeId,
        stockTakeId,
        status: 'open',
        locations,
        note,
        openedBy,
        openedAt: at,
        findings: [],
        report: null,
        closedBy: null,
        closedAt: null,
        reconciliation: null,
        classificationRank: 0,
        updatedAt: at,
      };
      return opened as unknown as ReadDoc;
    }
    if (!doc) return undefined;
    const stockTake = doc as unknown as StockTakeDoc;
    return { ...evolveStockTakeDoc(stockTake, e, at), updatedAt: at } as unknown as ReadDoc;
  },
};

function evolveStockTakeDoc(
  doc: StockTakeDoc,
  e: Exclude<StockTakeEvent, { type: 'StockTakeOpened' }>,
  at: string,
): StockTakeDoc {
  switch (e.type) {
    case 'FindingsRecorded': {
      const byCode = new Map(doc.findings.map((f) => [f.archiveCode, f]));
      for (const f of e.data.findings) {
        byCode.set(f.archiveCode, {
          archiveCode: f.archiveCode,
          location: f.location,
          title: f.ledger?.title ?? null,
          classification: f.ledger?.classification ?? null,
          classificationRank: f.ledger ? classificationRank(f.ledger.classification) : 0,
          recordedBy: e.data.recordedBy,
          recordedAt: at,
        });
      }
      return { ...doc, findings: [...byCode.values()] };
    }
    case 'StockTakeClosed':
      return { ...doc, status: 'closing', report: e.data.report, closedBy: e.data.closedBy, closedAt: at };
    case 'StockTakeReconciled': {
      const { flaggedMissing, foundAgain, skipped } = e.data;
      return {
        ...doc,
        status: 'closed',
        reconciliation: { flaggedMissing, foundAgain, skipped, reconciledAt: at },
      };
    }
    default:
      return assertNever(e);
  }
}
