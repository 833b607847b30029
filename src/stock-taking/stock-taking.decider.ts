import { CLASSIFICATIONS, classificationRank, type Actor } from '../domain-kernel/actor';
import { assertNever, type Decider } from '../domain-kernel/decider';
import { conflict, forbidden, invalid, notFound, type FieldProblem } from '../domain-kernel/domain-error';
import type { PersonRef } from '../records/record.events';
import type { TransferExecutor } from '../transfer/transfer.events';
import type {
  AccountedOnLoan,
  Discrepancy,
  Finding,
  FoundRecord,
  LedgerEntry,
  StockTakeEvent,
  StockTakeReport,
} from './stock-taking.events';

/**
 * A stock-take (清点, X2), stream `stocktake-{stockTakeId}`: pure decide/evolve. Opened for a set
 * of shelf locations, findings recorded as the shelves are checked, closed with a report of what
 * does not agree with the ledger (账物相符). The ledger at close — the records in scope and the
 * records found — is looked up by the service and passed in.
 */

export const STOCK_TAKER_ROLE = 'archivist';
export const MAX_LOCATIONS = 50;
export const MAX_FINDINGS_PER_CALL = 500;
const MAX_TEXT = 64;

export interface OpenStockTake {
  readonly type: 'OpenStockTake';
  readonly stockTakeId: string;
  readonly locations: readonly string[];
  readonly note?: string;
}

export interface RecordFindings {
  readonly type: 'RecordFindings';
  readonly findings: readonly Finding[];
}

export interface CloseStockTake {
  readonly type: 'CloseStockTake';
  /** Records in custody at a location in scope, per the ledger. */
  readonly inScope: readonly LedgerEntry[];
  /** The ledger's entries for the codes found (codes it does not know are absent). */
  readonly found: readonly LedgerEntry[];
}

export interface FinishReconciliation {
  readonly type: 'FinishReconciliation';
  readonly flaggedMissing: readonly string[];
  readonly foundAgain: readonly string[];
  readonly skipped: readonly {
    readonly archiveCode: string;
    readonly code: string;
    readonly message: string;
  }[];
}

export type StockTakeCommand = OpenStockTake | RecordFindings | CloseStockTake | FinishReconciliation;

export type StockTakeStatus = 'open' | 'closing' | 'closed';

export interface StockTake {
  readonly status: StockTakeStatus;
  readonly stockTakeId: string;
  readonly locations: readonly string[];
  /** The latest location each code was found at. */
  readonly findings: ReadonlyMap<string, string>;
  readonly report?: StockTakeReport;
  readonly executor?: TransferExecutor;
}

export type StockTakeState = { readonly status: 'none' } | StockTake;

export function evolveStockTake(state: StockTakeState, event: StockTakeEvent): StockTakeState {
  if (event.type === 'StockTakeOpened') {
    return {
      status: 'open',
      stockTakeId: event.data.stockTakeId,
      locations: event.data.locations,
      findings: new Map(),
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'FindingsRecorded': {
      const findings = new Map(state.findings);
      for (const f of event.data.findings) findings.set(f.archiveCode, f.location);
      return { ...state, findings };
    }
    case 'StockTakeClosed':
      return { ...state, status: 'closing', report: event.data.report, executor: event.data.executor };
    case 'StockTakeReconciled':
      return { ...state, status: 'closed' };
    default:
      return assertNever(event);
  }
}

/** Whether a shelf location lies within a location of the scope (a prefix: `A-03` covers `A-03-02-15`). */
export function inScope(locations: readonly string[], shelfLocation: string): boolean {
  return locations.some((l) => shelfLocation.startsWith(l));
}

export const stockTakeDecider: Decider<StockTakeCommand, StockTakeEvent, StockTakeState> = {
  initialState: () => ({ status: 'none' }),
  evolve: evolveStockTake,
  decide(command, state, { actor }) {
    requireStockTaker(actor);
    if (command.type === 'OpenStockTake') return open(command, state, actor);
    if (state.status === 'none') throw notFound('STOCK_TAKE_NOT_FOUND', 'No such stock-take');
    switch (command.type) {
      case 'RecordFindings':
        return recordFindings(command, state, actor);
      case 'CloseStockTake':
        return close(command, state, actor);
      case 'FinishReconciliation':
        if (state.status === 'closed') return [];
        if (state.status !== 'closing') {
          throw conflict('STOCK_TAKE_OPEN', `Stock-take ${state.stockTakeId} is not closed yet`);
        }
        return [
          {
            type: 'StockTakeReconciled',
            data: {
              stockTakeId: state.stockTakeId,
              flaggedMissing: command.flaggedMissing,
              foundAgain: command.foundAgain,
              skipped: command.skipped,
            },
          },
        ];
      default:
        return assertNever(command);
    }
  },
};

function open(command: OpenStockTake, state: StockTakeState, actor: Actor): StockTakeEvent[] {
  const problems: FieldProblem[] = [];
  const locations = command.locations.map((l) => l.trim());
  if (locations.length === 0 || locations.length > MAX_LOCATIONS) {
    problems.push({ field: 'locations', problems: [`list 1 to ${MAX_LOCATIONS} shelf locations`] });
  }
  locations.forEach((l, i) => {
    if (l.length === 0 || l.length > MAX_TEXT) {
      problems.push({ field: `locations[${i}]`, problems: [`must be 1 to ${MAX_TEXT} characters`] });
    } else if (locations.indexOf(l) !== i) {
      problems.push({ field: `locations[${i}]`, problems: [`${l} is listed twice`] });
    }
  });
  const note = command.note?.trim();
  if (command.note !== undefined && !note)
    problems.push({ field: 'note', problems: ['note must not be blank'] });
  if (problems.length > 0) throw invalid('STOCK_TAKE_INVALID', 'The stock-take cannot be opened', problems);
  if (state.status !== 'none') {
    throw conflict('STOCK_TAKE_EXISTS', `Stock-take ${command.stockTakeId} already exists`);
  }
  return [
    {
      type: 'StockTakeOpened',
      data: { stockTakeId: command.stockTakeId, locations, note: note ?? null, openedBy: personRef(actor) },
    },
  ];
}

function recordFindings(command: RecordFindings, stockTake: StockTake, actor: Actor): StockTakeEvent[] {
  requireOpen(stockTake);
  const problems: FieldProblem[] = [];
  if (command.findings.length === 0 || command.findings.length > MAX_FINDINGS_PER_CALL) {
    problems.push({ field: 'findings', problems: [`send 1 to ${MAX_FINDINGS_PER_CALL} findings at a time`] });
  }
  const findings = command.findings.map((f, i) => {
    const archiveCode = f.archiveCode.trim();
    const location = f.location.trim();
    if (archiveCode.length === 0 || archiveCode.length > MAX_TEXT) {
      problems.push({
        field: `findings[${i}].archiveCode`,
        problems: [`must be 1 to ${MAX_TEXT} characters`],
      });
    }
    if (location.length === 0 || location.length > MAX_TEXT) {
      problems.push({ field: `findings[${i}].location`, problems: [`must be 1 to ${MAX_TEXT} characters`] });
    }
    return { ...f, archiveCode, location };
  });
  if (problems.length > 0) throw invalid('FINDINGS_INVALID', 'The findings cannot be recorded', problems);
  return [
    {
      type: 'FindingsRecorded',
      data: { stockTakeId: stockTake.stockTakeId, findings, recordedBy: personRef(actor) },
    },
  ];
}

/** X2: the report of what does not agree; the closer must be cleared for every record it covers (A2). */
function close(command: CloseStockTake, stockTake: StockTake, actor: Actor): StockTakeEvent[] {
  requireOpen(stockTake);
  const highest = Math.max(
    -1,
    ...[...command.inScope, ...command.found].map((e) => classificationRank(e.classification)),
  );
  if (highest > classificationRank(actor.clearance)) {
    throw forbidden(
      'CLEARANCE_INSUFFICIENT',
      `A2: this stock-take covers records classified ${CLASSIFICATIONS[highest]}; a person cleared for them closes it`,
    );
  }
  return [
    {
      type: 'StockTakeClosed',
      data: {
        stockTakeId: stockTake.stockTakeId,
        report: compareWithLedger(stockTake, command.inScope, command.found),
        closedBy: personRef(actor),
        executor: { id: actor.id, roles: [...actor.roles], unit: actor.unit, clearance: actor.clearance },
      },
    },
  ];
}

/** 账物相符: the shelves as found, against the ledger. Pure, so the report can be replayed. */
export function compareWithLedger(
  stockTake: Pick<StockTake, 'locations' | 'findings'>,
  expected: readonly LedgerEntry[],
  foundLedger: readonly LedgerEntry[],
): StockTakeReport {
  const expectedByRank = [0, 0, 0, 0, 0];
  const matchedByRank = [0, 0, 0, 0, 0];
  const discrepancies: Discrepancy[] = [];
  const accountedOnLoan: AccountedOnLoan[] = [];
  const foundAgain: FoundRecord[] = [];
  const expectedCodes = new Set<string>();

  const compareFound = (entry: LedgerEntry, foundAt: string): boolean => {
    const base = {
      archiveCode: entry.archiveCode,
      title: entry.title,
      classification: entry.classification,
      ledgerLocation: entry.shelfLocation,
      foundAt,
    };
    if (entry.custody !== 'in_custody') {
      discrepancies.push({ kind: 'left_custody', ...base, custody: entry.custody });
      return false;
    }
    if (entry.missing)
      foundAgain.push({ archiveCode: entry.archiveCode, classification: entry.classification, foundAt });
    if (entry.onLoan) {
      discrepancies.push({ kind: 'found_while_on_loan', ...base });
      return false;
    }
    if (foundAt !== entry.shelfLocation) {
      discrepancies.push({ kind: 'misplaced', ...base });
      return false;
    }
    return true;
  };

  for (const entry of [...expected].sort(byCode)) {
    if (expectedCodes.has(entry.archiveCode)) continue;
    expectedCodes.add(entry.archiveCode);
    const rank = classificationRank(entry.classification);
    expectedByRank[rank]++;
    const foundAt = stockTake.findings.get(entry.archiveCode);
    if (foundAt === undefined) {
      if (entry.onLoan) {
        accountedOnLoan.push({
          archiveCode: entry.archiveCode,
          classification: entry.classification,
          shelfLocation: entry.shelfLocation,
        });
      } else {
        discrepancies.push({
          kind: 'missing',
          archiveCode: entry.archiveCode,
          title: entry.title,
          classification: entry.classification,
          ledgerLocation: entry.shelfLocation,
          foundAt: null,
          alreadyMissing: entry.missing,
        });
      }
    } else if (compareFound(entry, foundAt)) {
      matchedByRank[rank]++;
    }
  }

  const ledgerByCode = new Map(foundLedger.map((e) => [e.archiveCode, e]));
  for (const [archiveCode, foundAt] of [...stockTake.findings].sort(([a], [b]) =>
    a < b ? -1 : a > b ? 1 : 0,
  )) {
    if (expectedCodes.has(archiveCode)) continue;
    const entry = ledgerByCode.get(archiveCode);
    if (!entry) {
      discrepancies.push({
        kind: 'unknown_code',
        archiveCode,
        title: null,
        classification: null,
        ledgerLocation: null,
        foundAt,
      });
    } else {
      // In the ledger, but at a location outside the scope (or it left custody): never a match here.
      compareFound(entry, foundAt);
    }
  }
  return { expectedByRank, matchedByRank, discrepancies, accountedOnLoan, foundAgain };
}

function byCode(a: LedgerEntry, b: LedgerEntry): number {
  return a.archiveCode < b.archiveCode ? -1 : a.archiveCode > b.archiveCode ? 1 : 0;
}

function requireOpen(stockTake: StockTake): void {
  if (stockTake.status !== 'open') {
    throw conflict('STOCK_TAKE_CLOSED', `X2: stock-take ${stockTake.stockTakeId} is closed`, 'X2');
  }
}

function requireStockTaker(actor: Actor): void {
  if (!actor.roles.includes(STOCK_TAKER_ROLE)) {
    throw forbidden('ROLE_REQUIRED', 'X2: stock-taking is done by archivists');
  }
}

function personRef(actor: Actor): PersonRef {
  return { id: actor.id, unit: actor.unit };
}
