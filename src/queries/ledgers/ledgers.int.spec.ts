import { fileRecord } from '../../../test/support/filed-record';
import { people } from '../../../test/support/people';
import { plainRecord, salesContract } from '../../../test/support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../../../test/support/test-app';

/**
 * The ledgers over HTTP: commands are driven as the people of docs/loans.md would, then each ledger
 * is read with `?after=` the position of the last command (read-your-writes).
 */

const CONTRACT = salesContract.archiveCode; // INTERNAL, shelf B-01-04-02, SALES
/** An INTERNAL minutes record, not a client record: staff consult it on registration alone (B4). */
const memo = plainRecord('Z001-WS-2024-D30-BGS-0008', 'INTERNAL'); // shelf A-03-02-15
const MEMO = memo.archiveCode;
const SECRET = 'Z001-WS-2024-D30-BGS-0102';
const DAY = 24 * 60 * 60 * 1000;
const { archivist, salesperson, engineer, salesHead, financeHead, archiveHead, deputyGm } = people;
const { complianceOfficer, auditor, securityOfficer } = people;

/** Someone holding every ledger role, cleared only for INTERNAL records (A2)… */
const internalArchivist: TestUser = {
  user: 'zhang.min',
  roles: ['archivist', 'archive_department_head', 'compliance_officer', 'auditor'],
  unit: 'ARCHIVE',
  clearance: 'INTERNAL',
};
/** …and the same roles cleared for everything. */
const clearedArchivist: TestUser = { ...internalArchivist, user: 'zhou.qing', clearance: 'TOP_SECRET' };

describe('ledgers (台账) over HTTP', () => {
  let t: TestApp;
  let lastPosition: string | undefined;

  beforeEach(async () => {
    t = await startTestApp();
    lastPosition = undefined;
    await fileRecord(t, salesContract);
    await fileRecord(t, memo);
  });
  afterEach(() => t.close());

  /** Sends a command, expects it accepted, and remembers its position for the next query. */
  async function act(as: TestUser, url: string, body?: unknown) {
    const response = await t.request({ method: 'POST', url, as, ...(body !== undefined ? { body } : {}) });
    if (response.status !== 201) {
      throw new Error(`${as.user} POST ${url} → ${response.status} ${JSON.stringify(response.body)}`);
    }
    lastPosition = response.body.position;
    return response.body as { position: string; loanId: string; correctionId: string; holdId: string };
  }

  /** A ledger query that reads the last command's write (`?after=`). */
  function read(as: TestUser, url: string) {
    const after = lastPosition === undefined ? '' : `${url.includes('?') ? '&' : '?'}after=${lastPosition}`;
    return t.request({ method: 'GET', url: `${url}${after}`, as });
  }

  /** The page a query answers, expected 200. */
  async function page(as: TestUser, url: string) {
    const response = await read(as, url);
    expect({ url, status: response.status, body: response.body }).toMatchObject({ status: 200 });
    return response.body as { items: Record<string, unknown>[]; nextCursor: string | null; total: number };
  }

  /** The salesperson's 10-day lend-out of the sales contract: approved by both heads, handed over. */
  async function lendContract(borrower: TestUser = salesperson) {
    const { loanId } = await act(borrower, `/records/${CONTRACT}/loans`, {
      mode: 'lend_out',
      purpose: '核对合同条款，准备续签谈判',
      days: 10,
    });
    await act(archiveHead, `/loans/${loanId}/approvals`, {
      decision: 'approve',
      opinion: '同意借出，请按期归还',
    });
    await act(salesHead, `/loans/${loanId}/approvals`, { decision: 'approve', opinion: '同意' });
    await act(archivist, `/loans/${loanId}/hand-over`);
    return loanId;
  }

  /** A reading-room consultation of an INTERNAL record: registered and approved at once (B4). */
  async function consult(archiveCode: string, borrower: TestUser = salesperson) {
    const { loanId } = await act(borrower, `/records/${archiveCode}/loans`, {
      mode: 'reading_room',
      purpose: '查阅会议纪要',
    });
    return loanId;
  }

  // ── 借阅登记簿 ────────────────────────────────────────────────────────────────────────────────

  describe('GET /loans — the loan ledger', () => {
    it('B1, B3: lists each loan with its borrower, purpose, mode, period, the approvals with approver and opinion, and the hand-over', async () => {
      const loanId = await lendContract();
      const ledger = await page(archivist, '/loans');
      expect(ledger).toMatchObject({ total: 1, nextCursor: null });
      expect(ledger.items[0]).toMatchObject({
        loanId,
        archiveCode: CONTRACT,
        title: salesContract.title,
        classification: 'INTERNAL',
        borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
        borrowerKey: 'li.lei',
        requestedBy: { id: 'li.lei', unit: 'SALES' },
        mode: 'lend_out',
        purpose: '核对合同条款，准备续签谈判',
        days: 10,
        totalDays: 10,
        status: 'out',
        policyVersion: 1,
        requiredApprovals: [{ role: 'archive_department_head' }, { role: 'department_head', unit: 'SALES' }],
        approvals: [
          { role: 'archive_department_head', approver: { id: 'liu.yang' }, opinion: '同意借出，请按期归还' },
          { role: 'department_head', approver: { id: 'zhao.qiang' }, opinion: '同意' },
        ],
        requestedAt: '2026-03-01T09:00:00.000Z',
        approvedAt: '2026-03-01T09:00:00.000Z',
        handedOverAt: '2026-03-01T09:00:00.000Z',
        handedOverBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        handedOverMonth: '2026-03',
        dueAt: '2026-03-11T09:00:00.000Z',
        shelfLocation: 'B-01-04-02',
        utilisation: null,
      });
      expect(ledger.items[0]).not.toHaveProperty('_revision');
    });

    it('B8, B9, B10: shows renewals, reminders and the return with its condition and damage note', async () => {
      const loanId = await lendContract();
      t.clock.advance(7 * DAY);
      await act(salesperson, `/loans/${loanId}/renewals`, { extraDays: 5, reason: '续签谈判延期' });
      await act(archiveHead, `/loans/${loanId}/approvals`, { decision: 'approve' });
      await act(salesHead, `/loans/${loanId}/approvals`, { decision: 'approve' });
      t.clock.set(new Date('2026-03-16T15:00:00.000Z'));
      await act(archivist, `/loans/${loanId}/reminders`, { channel: 'phone', note: '电话催还' });
      t.clock.set(new Date('2026-03-18T10:00:00.000Z'));
      await act(archivist, `/loans/${loanId}/return`, { condition: 'damaged', note: '第3页右下角有水渍' });

      const [loan] = (await page(archiveHead, `/loans?archiveCode=${CONTRACT}`)).items;
      expect(loan).toMatchObject({
        status: 'returned',
        totalDays: 15,
        dueAt: '2026-03-16T09:00:00.000Z',
        renewals: [
          {
            renewal: 1,
            extraDays: 5,
            status: 'granted',
            previousDueAt: '2026-03-11T09:00:00.000Z',
            dueAt: '2026-03-16T09:00:00.000Z',
            reason: '续签谈判延期',
          },
        ],
        reminders: { count: 1, last: { reminder: 1, channel: 'phone', note: '电话催还', daysOverdue: 1 } },
        returnedAt: '2026-03-18T10:00:00.000Z',
        returnedMonth: '2026-03',
        receivedBy: { id: 'wang.fang' },
        condition: 'damaged',
        damageNote: '第3页右下角有水渍',
        overdueDaysAtReturn: 3,
        damage: [{ reportId: 'D1', condition: 'damaged', description: '第3页右下角有水渍' }],
      });
    });

    it('B1: filters by record, borrower, status, mode and request time; newest request first', async () => {
      const lent = await lendContract();
      t.clock.advance(DAY);
      const consulted = await consult(MEMO, engineer);
      const ids = async (query: string) =>
        (await page(complianceOfficer, `/loans${query}`)).items.map((l) => l.loanId);

      expect(await ids('')).toEqual([consulted, lent]);
      expect(await ids(`?archiveCode=${MEMO}`)).toEqual([consulted]);
      expect(await ids('?borrower=li.lei')).toEqual([lent]);
      expect(await ids('?status=out')).toEqual([lent]);
      expect(await ids('?status=approved&mode=reading_room')).toEqual([consulted]);
      expect(await ids('?mode=copy')).toEqual([]);
      expect(await ids('?from=2026-03-02')).toEqual([consulted]);
      expect(await ids('?to=2026-03-01')).toEqual([lent]);
      expect(await ids('?from=2026-03-01T09:00:00Z&to=2026-03-01T09:00:00Z')).toEqual([lent]);
    });

    it('pages with a cursor; the total counts every match', async () => {
      const first = await consult(MEMO);
      t.clock.advance(60_000);
      const second = await consult(MEMO, engineer);
      const one = await page(auditor, '/loans?limit=1');
      expect(one).toMatchObject({ total: 2, items: [{ loanId: second }] });
      const two = await page(auditor, `/loans?limit=1&cursor=${one.nextCursor}`);
      expect(two).toMatchObject({ total: 2, items: [{ loanId: first }], nextCursor: null });
    });

    it('answers 400 naming the parameter for an unknown status or a foreign cursor', async () => {
      const status = await read(archivist, '/loans?status=lost');
      expect(status.status).toBe(400);
      expect(status.body.fields.map((f: { field: string }) => f.field)).toEqual(['status']);
      const cursor = await read(archivist, '/loans?cursor=not-a-cursor');
      expect(cursor.status).toBe(400);
      expect(cursor.body.fields.map((f: { field: string }) => f.field)).toEqual(['cursor']);
    });
  });

  // ── B9 ──────────────────────────────────────────────────────────────────────────────────────────

  describe('GET /loans/overdue — the overdue list', () => {
    it('B9: a loan still out after its due date is listed with its days overdue and the reminders sent', async () => {
      const loanId = await lendContract();
      expect((await page(archivist, '/loans/overdue')).total).toBe(0);

      t.clock.set(new Date('2026-03-13T08:00:00.000Z')); // due 2026-03-11T09:00
      const overdue = await page(archivist, '/loans/overdue');
      expect(overdue).toMatchObject({
        total: 1,
        items: [
          { loanId, dueAt: '2026-03-11T09:00:00.000Z', daysOverdue: 2, reminders: { count: 0, last: null } },
        ],
      });

      await act(archivist, `/loans/${loanId}/reminders`, { channel: 'letter', note: '书面催还' });
      expect((await page(archiveHead, '/loans/overdue')).items[0]).toMatchObject({
        loanId,
        reminders: {
          count: 1,
          last: { channel: 'letter', note: '书面催还', sentAt: '2026-03-13T08:00:00.000Z' },
        },
      });

      await act(archivist, `/loans/${loanId}/return`, { condition: 'intact' });
      expect((await page(archivist, '/loans/overdue')).total).toBe(0);
    });

    it('B9: the longest overdue comes first; a loan due later is not yet on the list', async () => {
      const contractLoan = await lendContract(); // due 2026-03-11T09:00
      const { loanId: memoLoan } = await act(salesperson, `/records/${MEMO}/loans`, {
        mode: 'lend_out',
        purpose: '核对',
        days: 3,
      });
      await act(archiveHead, `/loans/${memoLoan}/approvals`, { decision: 'approve' });
      await act(salesHead, `/loans/${memoLoan}/approvals`, { decision: 'approve' });
      await act(archivist, `/loans/${memoLoan}/hand-over`); // due 2026-03-04T09:00

      t.clock.set(new Date('2026-03-05T09:00:00.000Z'));
      expect((await page(archivist, '/loans/overdue')).items.map((l) => l.loanId)).toEqual([memoLoan]);
      t.clock.set(new Date('2026-03-12T09:00:00.000Z'));
      const overdue = await page(archivist, '/loans/overdue');
      expect(overdue.items.map((l) => [l.loanId, l.daysOverdue])).toEqual([
        [memoLoan, 8],
        [contractLoan, 1],
      ]);
    });
  });

  // ── B14 ─────────────────────────────────────────────────────────────────────────────────────────

  describe('GET /borrowers/{borrowerId}/open-loans — open loans by person', () => {
    it('B14: lists the loans a person still has open (requested, approved, out), not those ended', async () => {
      const out = await lendContract();
      const approved = await consult(MEMO);
      const { loanId: withdrawn } = await act(salesperson, `/records/${MEMO}/loans`, {
        mode: 'copy',
        purpose: '复制一份',
      });
      await act(salesperson, `/loans/${withdrawn}/withdrawal`, { reason: '不再需要' });
      await consult(MEMO, engineer); // someone else's

      const open = await page(archivist, '/borrowers/li.lei/open-loans');
      expect(open.total).toBe(2);
      expect(open.items.map((l) => [l.loanId, l.status]).sort()).toEqual(
        [
          [out, 'out'],
          [approved, 'approved'],
        ].sort(),
      );

      await act(archivist, `/loans/${out}/return`, { condition: 'intact' });
      expect((await page(archivist, '/borrowers/li.lei/open-loans')).items.map((l) => l.loanId)).toEqual([
        approved,
      ]);
    });

    it('B14: the borrower may list their own open loans; a department head or an administrator anyone’s', async () => {
      await consult(MEMO);
      expect((await page(salesperson, '/borrowers/li.lei/open-loans')).total).toBe(1);
      expect((await page(financeHead, '/borrowers/li.lei/open-loans')).total).toBe(1);
      expect((await page(people.administrator, '/borrowers/li.lei/open-loans')).total).toBe(0); // PUBLIC clearance (A2)
    });

    it('B14: anyone else — another borrower, a deputy GM — is refused with 403 ROLE_REQUIRED', async () => {
      await consult(MEMO);
      for (const who of [engineer, deputyGm]) {
        const response = await read(who, '/borrowers/li.lei/open-loans');
        expect({ who: who.user, status: response.status, body: response.body }).toMatchObject({
          status: 403,
          body: { error: 'FORBIDDEN', code: 'ROLE_REQUIRED' },
        });
      }
    });
  });

  // ── B11 ─────────────────────────────────────────────────────────────────────────────────────────

  describe('GET /substitute-cards — substitute cards by shelf location', () => {
    it('B11: a record out shows a card at its shelf location — who has it, since when, until when — gone after return', async () => {
      const loanId = await lendContract();
      await consult(MEMO); // approved, not handed over: no card

      const cards = await page(archivist, '/substitute-cards?location=B-01');
      expect(cards).toEqual({
        total: 1,
        nextCursor: null,
        items: [
          {
            shelfLocation: 'B-01-04-02',
            archiveCode: CONTRACT,
            title: salesContract.title,
            loanId,
            heldBy: { type: 'staff', id: 'li.lei', unit: 'SALES' },
            mode: 'lend_out',
            since: '2026-03-01T09:00:00.000Z',
            until: '2026-03-11T09:00:00.000Z',
            handedOverBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          },
        ],
      });
      expect((await page(archivist, '/substitute-cards?location=B-01-04-02')).total).toBe(1);
      expect((await page(archivist, '/substitute-cards?location=A-03')).total).toBe(0);
      expect((await page(archivist, '/substitute-cards?location=B-02')).total).toBe(0);
      expect((await page(archivist, '/substitute-cards')).total).toBe(1);

      await act(archivist, `/loans/${loanId}/return`, { condition: 'intact' });
      expect((await page(archivist, '/substitute-cards?location=B-01')).total).toBe(0);
    });

    it('B11, B8: a renewal moves the card’s until-date', async () => {
      const loanId = await lendContract();
      await act(salesperson, `/loans/${loanId}/renewals`, { extraDays: 5, reason: '续签谈判延期' });
      await act(archiveHead, `/loans/${loanId}/approvals`, { decision: 'approve' });
      await act(salesHead, `/loans/${loanId}/approvals`, { decision: 'approve' });
      expect((await page(archivist, '/substitute-cards')).items[0]).toMatchObject({
        until: '2026-03-16T09:00:00.000Z',
      });
    });
  });

  // ── B13 ─────────────────────────────────────────────────────────────────────────────────────────

  describe('GET /utilisation-ledger — the utilisation ledger', () => {
    it('B13: lists loans whose borrower recorded what the record was used for and what it achieved', async () => {
      const loanId = await lendContract();
      await consult(MEMO); // no feedback
      t.clock.set(new Date('2026-03-05T10:00:00.000Z'));
      await act(salesperson, `/loans/${loanId}/utilisation`, {
        usedFor: '合同续签谈判',
        effect: '据此核实了供货条款，续签顺利完成',
      });

      const ledger = await page(auditor, '/utilisation-ledger');
      expect(ledger).toEqual({
        total: 1,
        nextCursor: null,
        items: [
          {
            loanId,
            archiveCode: CONTRACT,
            title: salesContract.title,
            classification: 'INTERNAL',
            borrower: { type: 'staff', id: 'li.lei', unit: 'SALES' },
            mode: 'lend_out',
            purpose: '核对合同条款，准备续签谈判',
            handedOverAt: '2026-03-01T09:00:00.000Z',
            returnedAt: null,
            utilisation: {
              usedFor: '合同续签谈判',
              effect: '据此核实了供货条款，续签顺利完成',
              recordedBy: { id: 'li.lei', unit: 'SALES' },
              recordedAt: '2026-03-05T10:00:00.000Z',
            },
          },
        ],
      });
      expect((await page(auditor, '/utilisation-ledger?from=2026-03-05&to=2026-03-05')).total).toBe(1);
      expect((await page(auditor, '/utilisation-ledger?from=2026-03-06')).total).toBe(0);
      expect((await page(auditor, '/utilisation-ledger?to=2026-03-04')).total).toBe(0);
      expect((await page(auditor, `/utilisation-ledger?archiveCode=${MEMO}`)).total).toBe(0);
      expect((await page(auditor, `/utilisation-ledger?archiveCode=${CONTRACT}`)).total).toBe(1);
    });
  });

  // ── F5 ──────────────────────────────────────────────────────────────────────────────────────────

  describe('GET /modification-ledger — the modification ledger', () => {
    const newTitle = '2024年度第3次办公会议纪要（更正）';

    it('F5: lists each correction with the fields before and after, the reason, who proposed and who approved or rejected it', async () => {
      const { correctionId: c1 } = await act(archivist, `/records/${MEMO}/corrections`, {
        changes: { title: newTitle, pageCount: 14 },
        reason: '题名录入错误，与原件不符',
      });
      t.clock.advance(60 * 60 * 1000);
      await act(archiveHead, `/records/${MEMO}/corrections/${c1}/decision`, {
        decision: 'approve',
        reason: '与原件核对无误，同意更正',
      });
      t.clock.advance(DAY);
      const { correctionId: c2 } = await act(archivist, `/records/${MEMO}/corrections`, {
        changes: { shelfLocation: 'A-03-02-16' },
        reason: '上架位置调整',
      });
      await act(archiveHead, `/records/${MEMO}/corrections/${c2}/decision`, {
        decision: 'reject',
        reason: '实物仍在原位置',
      });

      const ledger = await page(complianceOfficer, '/modification-ledger');
      expect(ledger.total).toBe(2);
      expect(ledger.items).toEqual([
        {
          archiveCode: MEMO,
          correctionId: c2,
          title: newTitle,
          classification: 'INTERNAL',
          classificationRank: 1,
          fields: ['shelfLocation'],
          before: { shelfLocation: 'A-03-02-15' },
          after: { shelfLocation: 'A-03-02-16' },
          reason: '上架位置调整',
          proposedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          proposedAt: '2026-03-02T10:00:00.000Z',
          status: 'rejected',
          approvedBy: null,
          rejectedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
          decidedAt: '2026-03-02T10:00:00.000Z',
          rejectionReason: '实物仍在原位置',
        },
        {
          archiveCode: MEMO,
          correctionId: c1,
          title: newTitle,
          classification: 'INTERNAL',
          classificationRank: 1,
          fields: ['pageCount', 'title'],
          before: { title: memo.title, pageCount: 12 },
          after: { title: newTitle, pageCount: 14 },
          reason: '题名录入错误，与原件不符',
          proposedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          proposedAt: '2026-03-01T09:00:00.000Z',
          status: 'corrected',
          approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
          rejectedBy: null,
          decidedAt: '2026-03-01T10:00:00.000Z',
          rejectionReason: null,
        },
      ]);
      const ids = async (query: string) =>
        (await page(auditor, `/modification-ledger${query}`)).items.map((c) => c.correctionId);
      expect(await ids('?status=corrected')).toEqual([c1]);
      expect(await ids('?status=proposed')).toEqual([]);
      expect(await ids(`?archiveCode=${CONTRACT}`)).toEqual([]);
      expect(await ids('?from=2026-03-02')).toEqual([c2]);
      expect(await ids('?to=2026-03-01')).toEqual([c1]);
    });

    it('F5: a corrected title shows in the loan ledger too', async () => {
      const loanId = await consult(MEMO);
      const { correctionId } = await act(archivist, `/records/${MEMO}/corrections`, {
        changes: { title: newTitle },
        reason: '题名录入错误',
      });
      await act(archiveHead, `/records/${MEMO}/corrections/${correctionId}/decision`, {
        decision: 'approve',
      });
      expect((await page(archivist, '/loans')).items).toMatchObject([{ loanId, title: newTitle }]);
    });
  });

  // ── R6 ──────────────────────────────────────────────────────────────────────────────────────────

  describe('GET /holds — the holds register', () => {
    it('R6: lists holds with reasons, active until released, then with who released them, when and why', async () => {
      const { holdId: legal } = await act(complianceOfficer, `/records/${MEMO}/holds`, {
        kind: 'legal',
        reason: '涉及合同纠纷诉讼，依法保全相关档案',
        reference: '（2026）沪0115民初1234号',
      });
      t.clock.advance(DAY);
      const { holdId: audit } = await act(auditor, `/records/${CONTRACT}/holds`, {
        kind: 'audit',
        reason: '2025年度专项审计',
      });
      t.clock.advance(DAY);
      await act(complianceOfficer, `/records/${MEMO}/holds/${legal}/release`, {
        reason: '诉讼已结案，解除保全',
      });

      const register = await page(archivist, '/holds');
      expect(register.total).toBe(2);
      expect(register.items).toEqual([
        {
          archiveCode: CONTRACT,
          holdId: audit,
          title: salesContract.title,
          classification: 'INTERNAL',
          classificationRank: 1,
          kind: 'audit',
          reason: '2025年度专项审计',
          reference: null,
          placedBy: { id: 'lin.shen', unit: 'AUDIT' },
          placedAt: '2026-03-02T09:00:00.000Z',
          active: true,
          releasedBy: null,
          releasedAt: null,
          releaseReason: null,
        },
        {
          archiveCode: MEMO,
          holdId: legal,
          title: memo.title,
          classification: 'INTERNAL',
          classificationRank: 1,
          kind: 'legal',
          reason: '涉及合同纠纷诉讼，依法保全相关档案',
          reference: '（2026）沪0115民初1234号',
          placedBy: { id: 'xu.he', unit: 'LEGAL' },
          placedAt: '2026-03-01T09:00:00.000Z',
          active: false,
          releasedBy: { id: 'xu.he', unit: 'LEGAL' },
          releasedAt: '2026-03-03T09:00:00.000Z',
          releaseReason: '诉讼已结案，解除保全',
        },
      ]);
      const keys = async (query: string) =>
        (await page(complianceOfficer, `/holds${query}`)).items.map((h) => `${h.archiveCode}/${h.holdId}`);
      expect(await keys('?active=true')).toEqual([`${CONTRACT}/${audit}`]);
      expect(await keys('?active=false')).toEqual([`${MEMO}/${legal}`]);
      expect(await keys('?kind=legal')).toEqual([`${MEMO}/${legal}`]);
      expect(await keys(`?archiveCode=${CONTRACT}&active=false`)).toEqual([]);
    });

    it('R6: `active` must be true or false', async () => {
      const response = await read(auditor, '/holds?active=yes');
      expect(response.status).toBe(400);
      expect(response.body.fields.map((f: { field: string }) => f.field)).toEqual(['active']);
    });
  });

  // ── A2 ──────────────────────────────────────────────────────────────────────────────────────────

  describe('clearance', () => {
    /** A SECRET record with a loan out and overdue, feedback, a correction and a hold. */
    async function secretRecordWithHistory() {
      await act(archivist, '/records', { ...filingOf(SECRET), reason: '归档' });
      const { loanId } = await act(engineer, `/records/${SECRET}/loans`, {
        mode: 'reading_room',
        purpose: '核对技术协议',
      });
      await act(deputyGm, `/loans/${loanId}/approvals`, { decision: 'approve' });
      await act(archivist, `/loans/${loanId}/hand-over`);
      await act(engineer, `/loans/${loanId}/utilisation`, {
        usedFor: '技术协议核对',
        effect: '发现条款遗漏并补正',
      });
      await act(archivist, `/records/${SECRET}/corrections`, {
        changes: { pageCount: 30 },
        reason: '页数有误',
      });
      await act(complianceOfficer, `/records/${SECRET}/holds`, { kind: 'legal', reason: '涉诉保全' });
      t.clock.advance(3 * DAY);
      return loanId;
    }

    /** Every ledger route, with what the SECRET record puts in it. */
    const LEDGERS = [
      '/loans',
      '/loans/overdue',
      '/borrowers/chen.jing/open-loans',
      '/substitute-cards',
      '/utilisation-ledger',
      '/modification-ledger',
      '/holds',
    ];

    it('A2: a caller cleared for INTERNAL sees none of a SECRET record’s loans, corrections or holds in any ledger, nor in its total', async () => {
      await secretRecordWithHistory();
      for (const url of LEDGERS) {
        const cleared = await page(clearedArchivist, url);
        const internal = await page(internalArchivist, url);
        expect({ url, cleared: cleared.total, seen: cleared.items.length }).toEqual({
          url,
          cleared: 1,
          seen: 1,
        });
        expect({ url, total: internal.total, items: internal.items }).toEqual({ url, total: 0, items: [] });
      }
    });

    it('A2, F6: when a record is classified SECRET its loans leave the ledgers of callers cleared only for INTERNAL', async () => {
      await lendContract();
      expect((await page(internalArchivist, '/loans')).total).toBe(1);
      await act(securityOfficer, `/records/${CONTRACT}/classification`, {
        classification: 'SECRET',
        grounds: '涉及商业秘密',
      });
      for (const url of ['/loans', '/borrowers/li.lei/open-loans', '/substitute-cards']) {
        expect({ url, total: (await page(internalArchivist, url)).total }).toEqual({ url, total: 0 });
        expect({ url, total: (await page(archivist, url)).total }).toEqual({ url, total: 1 });
      }
      expect((await page(archivist, '/loans')).items).toMatchObject([
        { classification: 'SECRET', classificationRank: 2 },
      ]);
    });
  });

  // ── roles ───────────────────────────────────────────────────────────────────────────────────────

  it.each([
    ['/loans', salesperson],
    ['/loans/overdue', complianceOfficer],
    ['/borrowers/li.lei/open-loans', deputyGm],
    ['/substitute-cards', archiveHead],
    ['/utilisation-ledger', salesperson],
    ['/modification-ledger', securityOfficer],
    ['/holds', salesperson],
  ])('GET %s refuses a caller without a ledger role with 403 ROLE_REQUIRED', async (url, who) => {
    const response = await read(who, url);
    expect(response.status).toBe(403);
    expect(response.body).toMatchObject({ error: 'FORBIDDEN', code: 'ROLE_REQUIRED' });
  });
});

/** A `POST /records` body for a SECRET record. */
function filingOf(archiveCode: string): Record<string, unknown> {
  const { isOriginal: _original, ...fields } = plainRecord(archiveCode, 'SECRET');
  return { ...fields, keywords: [...fields.keywords], shelfLocation: 'S-01-01-01' };
}
