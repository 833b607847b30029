import { people } from '../support/people';
import { filingBodyOf, plainRecord } from '../support/record-fixtures';
import { fileRecord } from '../support/filed-record';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';
import { envCount, printSummary } from './summary';

/**
 * Races (issue 7, reliability 2): many requests for the one thing only one of them may have, sent
 * at the same moment (Promise.all over inject: every request is in flight before any is answered).
 * Exactly one wins; every other one gets a 409 naming the rule; the store holds the winner's
 * events and nothing of the losers'.
 */
const { archivist, archiveHead } = people;
const HAND_OVERS = envCount('RELIABILITY_RACE_HANDOVERS', 100);
const FILINGS = envCount('RELIABILITY_RACE_FILINGS', 50);
const MINUTES = plainRecord('Z001-WS-2024-D30-BGS-0007', 'INTERNAL');

const staff = (i: number): TestUser => ({
  user: `race.${String(i).padStart(3, '0')}`,
  roles: ['borrower'],
  unit: 'SALES',
  clearance: 'INTERNAL',
});

type Answer = { status: number; body: { error?: string; rule?: string; loanId?: string } };
const tally = (answers: readonly Answer[]) => {
  const won = answers.filter((a) => a.status === 201);
  const lost = answers.filter((a) => a.status !== 201);
  return { won, lost, refusals: [...new Set(lost.map((a) => `${a.status} ${a.body.error} ${a.body.rule}`))] };
};

describe('reliability: races', () => {
  let t: TestApp;
  const summary: string[] = [];
  beforeEach(async () => {
    t = await startTestApp();
    await fileRecord(t, MINUTES, archivist);
  });
  afterEach(() => t.close());
  afterAll(() => printSummary(`races: ${summary.join('; ')}`));

  async function requestLoan(as: TestUser, mode: 'lend_out' | 'reading_room', days?: number) {
    const response = await t.request({
      method: 'POST',
      url: `/records/${MINUTES.archiveCode}/loans`,
      as,
      body: { mode, purpose: '并发借出测试', ...(days !== undefined ? { days } : {}) },
    });
    expect(response.status).toBe(201);
    return response.body.loanId as string;
  }

  const handOver = (loanId: string) =>
    t.request({ method: 'POST', url: `/loans/${loanId}/hand-over`, as: archivist }) as Promise<Answer>;

  const borrowedEvents = async () =>
    (await t.store.readStream(`record-${MINUTES.archiveCode}`)).filter((e) => e.type === 'Borrowed');

  it(`B2, B11: of ${HAND_OVERS} approved loans of one record handed over at once, exactly one is handed over; the others get 409 RECORD_OUT`, async () => {
    // B2 allows one open lend-out loan per record, so the other approved loans are reading-room
    // loans (INTERNAL, registration only, B4): each is a different loan of the same record.
    const lendOut = await requestLoan(staff(0), 'lend_out', 2);
    expect(
      (
        await t.request({
          method: 'POST',
          url: `/loans/${lendOut}/approvals`,
          as: archiveHead,
          body: { decision: 'approve' },
        })
      ).status,
    ).toBe(201);
    const loans = [lendOut];
    for (let i = 1; i < HAND_OVERS; i++) loans.push(await requestLoan(staff(i), 'reading_room'));
    const before = await t.eventCount();

    const answers = await Promise.all(loans.map(handOver));

    const { won, lost, refusals } = tally(answers);
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(HAND_OVERS - 1);
    expect(refusals).toEqual(['409 RECORD_OUT B11']);
    expect(await t.eventCount()).toBe(before + 1);
    const borrowed = await borrowedEvents();
    expect(borrowed.map((e) => e.data.loanId)).toEqual([won[0].body.loanId]);
    summary.push(
      `${HAND_OVERS} hand-overs of ${HAND_OVERS} loans → ${won.length} out, ${lost.length} × ${refusals.join(', ')}`,
    );
  }, 60_000);

  it(`B2: ${HAND_OVERS} hand-overs of the same approved lend-out loan at once hand it over once; the others get 409 LOAN_ALREADY_HANDED_OVER`, async () => {
    const loanId = await requestLoan(staff(0), 'lend_out', 2);
    await t.request({
      method: 'POST',
      url: `/loans/${loanId}/approvals`,
      as: archiveHead,
      body: { decision: 'approve' },
    });
    const before = await t.eventCount();

    const answers = await Promise.all(Array.from({ length: HAND_OVERS }, () => handOver(loanId)));

    const { won, lost, refusals } = tally(answers);
    expect(won).toHaveLength(1);
    expect(refusals).toEqual(['409 LOAN_ALREADY_HANDED_OVER undefined']);
    expect(await t.eventCount()).toBe(before + 1);
    expect(await borrowedEvents()).toHaveLength(1);
    summary.push(
      `${HAND_OVERS} hand-overs of one loan → ${won.length} out, ${lost.length} × 409 LOAN_ALREADY_HANDED_OVER`,
    );
  }, 60_000);

  it(`B2: of ${HAND_OVERS} concurrent lend-out requests for one record exactly one is registered; the others get 409 RECORD_ALREADY_LENT`, async () => {
    const before = await t.eventCount();
    const answers = (await Promise.all(
      Array.from({ length: HAND_OVERS }, (_, i) =>
        t.request({
          method: 'POST',
          url: `/records/${MINUTES.archiveCode}/loans`,
          as: staff(i),
          body: { mode: 'lend_out', purpose: '并发借出', days: 2 },
        }),
      ),
    )) as Answer[];

    const { won, lost, refusals } = tally(answers);
    expect(won).toHaveLength(1);
    expect(refusals).toEqual(['409 RECORD_ALREADY_LENT B2']);
    expect(await t.eventCount()).toBe(before + 1);
    summary.push(
      `${HAND_OVERS} lend-out requests → ${won.length} registered, ${lost.length} × 409 RECORD_ALREADY_LENT (B2)`,
    );
  }, 60_000);

  it(`F2: of ${FILINGS} concurrent filings of the same archive code exactly one is filed; the others get 409 ARCHIVE_CODE_TAKEN`, async () => {
    const code = 'Z001-WS-2024-D30-BGS-0100';
    const before = await t.eventCount();
    const answers = (await Promise.all(
      Array.from({ length: FILINGS }, (_, i) =>
        t.request({
          method: 'POST',
          url: '/records',
          as: i % 2 === 0 ? archivist : people.archivist2,
          body: filingBodyOf({ ...MINUTES, archiveCode: code, title: `并发归档 ${i}` }),
        }),
      ),
    )) as Answer[];

    const { won, lost, refusals } = tally(answers);
    expect(won).toHaveLength(1);
    expect(refusals).toEqual(['409 ARCHIVE_CODE_TAKEN F2']);
    expect(await t.eventCount()).toBe(before + 1);
    expect((await t.store.readStream(`record-${code}`)).map((e) => e.type)).toEqual(['ArchiveFiled']);
    summary.push(
      `${FILINGS} filings of one code → ${won.length} filed, ${lost.length} × 409 ARCHIVE_CODE_TAKEN (F2)`,
    );
  }, 60_000);
});
