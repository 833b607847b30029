import { deciderSpecification } from '../../test/support/decider-specification';
import { actorOf, people } from '../../test/support/people';
import { stockTakeDecider } from './stock-taking.decider';
import type { LedgerEntry, StockTakeEvent } from './stock-taking.events';

const archivist = actorOf(people.archivist);
const now = new Date('2026-03-01T09:00:00Z');
const spec = deciderSpecification(stockTakeDecider, { actor: archivist, now });
const stockTakeId = 'ST-2026-0001';
const by = { id: 'wang.fang', unit: 'ARCHIVE' };

const opened: StockTakeEvent = {
  type: 'StockTakeOpened',
  data: { stockTakeId, locations: ['A-03'], note: null, openedBy: by },
};
const entry = (
  archiveCode: string,
  shelfLocation: string,
  extra: Partial<LedgerEntry> = {},
): LedgerEntry => ({
  archiveCode,
  title: `题名 ${archiveCode}`,
  classification: 'INTERNAL',
  shelfLocation,
  custody: 'in_custody',
  onLoan: false,
  missing: false,
  ...extra,
});
const found = (...findings: [string, string][]): StockTakeEvent => ({
  type: 'FindingsRecorded',
  data: {
    stockTakeId,
    findings: findings.map(([archiveCode, location]) => ({ archiveCode, location, ledger: null })),
    recordedBy: by,
  },
});

const closeWith = (inScope: LedgerEntry[], foundLedger: LedgerEntry[] = []) =>
  ({ type: 'CloseStockTake', inScope, found: foundLedger }) as const;

function reportOf(events: StockTakeEvent[], inScope: LedgerEntry[], foundLedger: LedgerEntry[] = []) {
  const state = events.reduce(stockTakeDecider.evolve, stockTakeDecider.initialState());
  const [closed] = stockTakeDecider.decide(closeWith(inScope, foundLedger), state, { actor: archivist, now });
  if (closed.type !== 'StockTakeClosed') throw new Error('not closed');
  return closed.data.report;
}

describe('stock-taking (清点) — X2', () => {
  it('X2: an archivist opens a stock-take of shelf locations', () => {
    spec([])
      .when({ type: 'OpenStockTake', stockTakeId, locations: [' A-03 '] })
      .then([opened]);
    spec([])
      .when({ type: 'OpenStockTake', stockTakeId, locations: ['A-03', 'A-03'] })
      .thenRefused({ kind: 'invalid', code: 'STOCK_TAKE_INVALID' });
    spec([])
      .when(
        { type: 'OpenStockTake', stockTakeId, locations: ['A-03'] },
        { actor: actorOf(people.archiveHead) },
      )
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('X2: records which records were found at which location', () => {
    spec([opened])
      .when({
        type: 'RecordFindings',
        findings: [{ archiveCode: 'Z001-WS-2024-D30-BGS-0001', location: 'A-03-01-01', ledger: null }],
      })
      .then([found(['Z001-WS-2024-D30-BGS-0001', 'A-03-01-01'])]);
  });

  it('X2: ledger and shelves agree: every record found where the ledger says, no discrepancy', () => {
    const report = reportOf(
      [opened, found(['C1', 'A-03-01-01'], ['C2', 'A-03-01-02'])],
      [entry('C1', 'A-03-01-01'), entry('C2', 'A-03-01-02')],
    );
    expect(report).toEqual({
      expectedByRank: [0, 2, 0, 0, 0],
      matchedByRank: [0, 2, 0, 0, 0],
      discrepancies: [],
      accountedOnLoan: [],
      foundAgain: [],
    });
  });

  it('X2: the report names each discrepancy: missing, misplaced, unknown code, left custody, found while on loan', () => {
    const report = reportOf(
      [
        opened,
        found(
          ['C2', 'A-03-09-09'],
          ['C5', 'A-03-01-05'],
          ['NO-SUCH-CODE', 'A-03-01-06'],
          ['C7', 'A-03-01-07'],
          ['C8', 'A-03-01-08'],
        ),
      ],
      [
        entry('C1', 'A-03-01-01'),
        entry('C2', 'A-03-01-02'),
        entry('C3', 'A-03-01-03', { onLoan: true }),
        entry('C8', 'A-03-01-08', { onLoan: true }),
      ],
      [entry('C5', 'B-01-01-01'), entry('C7', 'A-03-01-07', { custody: 'transferred' })],
    );
    expect(report.discrepancies.map((d) => [d.kind, d.archiveCode, d.ledgerLocation, d.foundAt])).toEqual([
      ['missing', 'C1', 'A-03-01-01', null],
      ['misplaced', 'C2', 'A-03-01-02', 'A-03-09-09'],
      ['found_while_on_loan', 'C8', 'A-03-01-08', 'A-03-01-08'],
      ['misplaced', 'C5', 'B-01-01-01', 'A-03-01-05'],
      ['left_custody', 'C7', 'A-03-01-07', 'A-03-01-07'],
      ['unknown_code', 'NO-SUCH-CODE', null, 'A-03-01-06'],
    ]);
    expect(report.accountedOnLoan.map((a) => a.archiveCode)).toEqual(['C3']);
    expect(report.expectedByRank).toEqual([0, 4, 0, 0, 0]);
    expect(report.matchedByRank).toEqual([0, 0, 0, 0, 0]);
  });

  it('X2: a missing record stays missing until found; found at a later stock-take it is reported found again', () => {
    const stillMissing = reportOf([opened], [entry('C1', 'A-03-01-01', { missing: true })]);
    expect(stillMissing.discrepancies).toEqual([
      expect.objectContaining({ kind: 'missing', archiveCode: 'C1', alreadyMissing: true }),
    ]);
    const foundNow = reportOf(
      [opened, found(['C1', 'A-03-01-01'])],
      [entry('C1', 'A-03-01-01', { missing: true })],
    );
    expect(foundNow.foundAgain).toEqual([
      { archiveCode: 'C1', classification: 'INTERNAL', foundAt: 'A-03-01-01' },
    ]);
    expect(foundNow.discrepancies).toEqual([]);
  });

  it('A2: the closer must be cleared for every record in scope', () => {
    spec([opened])
      .when(closeWith([entry('C1', 'A-03-01-01', { classification: 'TOP_SECRET' })]))
      .thenRefused({ kind: 'forbidden', code: 'CLEARANCE_INSUFFICIENT' });
  });

  it('X2: a closed stock-take accepts no more findings and is not closed twice', () => {
    const closed: StockTakeEvent = {
      type: 'StockTakeClosed',
      data: {
        stockTakeId,
        report: {
          expectedByRank: [0, 0, 0, 0, 0],
          matchedByRank: [0, 0, 0, 0, 0],
          discrepancies: [],
          accountedOnLoan: [],
          foundAgain: [],
        },
        closedBy: by,
        executor: { ...archivist },
      },
    };
    spec([opened, closed])
      .when({ type: 'RecordFindings', findings: [{ archiveCode: 'C1', location: 'A-03', ledger: null }] })
      .thenRefused({ kind: 'conflict', code: 'STOCK_TAKE_CLOSED', rule: 'X2' });
    spec([opened, closed])
      .when(closeWith([]))
      .thenRefused({ kind: 'conflict', code: 'STOCK_TAKE_CLOSED', rule: 'X2' });
  });
});
