import { CommandShell } from '../../src/command-shell/command-shell';
import type { RecordMetadata } from '../../src/records/record.events';
import { TransferService } from '../../src/transfer/transfer.service';
import { transferDecider } from '../../src/transfer/transfer.decider';
import { fileRecord } from '../support/filed-record';
import { actorOf, people } from '../support/people';
import { contractRecord, plainRecord } from '../support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../support/test-app';

/** A PERMANENT record (R3: it can only ever be transferred), classified as given. */
function permanent(
  seq: number,
  classification: RecordMetadata['classification'],
  shelfLocation: string,
): RecordMetadata {
  const code = `Z001-WS-2014-Y-BGS-${String(seq).padStart(4, '0')}`;
  return {
    ...plainRecord(code, classification),
    year: 2014,
    retentionClass: 'PERMANENT',
    dateFormed: '2014-12-20',
    title: `2014年度经营工作总结 第${seq}件`,
    shelfLocation,
  };
}

const publicRecord = permanent(1, 'PUBLIC', 'A-01-01-01');
const secretRecord = permanent(2, 'SECRET', 'A-01-01-02');
const receiver = { organisation: '上海市档案馆', representative: '周明' };
const lowArchivist: TestUser = {
  user: 'sun.qing',
  roles: ['archivist'],
  unit: 'ARCHIVE',
  clearance: 'INTERNAL',
};

describe('transfer (移交, X1) and stock-taking (清点, X2) over HTTP', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  const post = (url: string, body: unknown, as: TestUser) => t.request({ method: 'POST', url, as, body });
  const get = (url: string, as: TestUser) => t.request({ method: 'GET', url, as });
  const stored = (stream: string) => t.store.readStream(stream);

  async function draftWith(records: RecordMetadata[]): Promise<string> {
    const drafted = await post(
      '/transfers',
      { receiver, basis: '2014年度永久档案进馆移交' },
      people.archivist,
    );
    expect(drafted.status).toBe(201);
    const transferId = drafted.body.transferId as string;
    for (const r of records) {
      const added = await post(
        `/transfers/${transferId}/items`,
        { archiveCode: r.archiveCode },
        people.archivist,
      );
      expect(added.status).toBe(201);
    }
    return transferId;
  }

  async function signBoth(transferId: string) {
    const ours = await post(
      `/transfers/${transferId}/signatures/transferor`,
      { opinion: '同意移交' },
      people.archiveHead,
    );
    expect(ours.status).toBe(201);
    const theirs = await post(
      `/transfers/${transferId}/signatures/receiver`,
      { receiptReference: '沪档接〔2026〕15号', signedOn: '2026-03-01' },
      people.archivist,
    );
    expect(theirs.status).toBe(201);
  }

  it('X1: a list with both signatures and a reviewed classification takes its records out of custody', async () => {
    await fileRecord(t, publicRecord);
    await fileRecord(t, secretRecord);
    const transferId = await draftWith([publicRecord, secretRecord]);
    expect(transferId).toBe('TR-2026-0001');

    // X1: classification is reviewed first — nobody signs before.
    const early = await post(`/transfers/${transferId}/signatures/transferor`, {}, people.archiveHead);
    expect(early.status).toBe(422);
    expect(early.body).toMatchObject({ error: 'CLASSIFICATION_REVIEW_REQUIRED', rule: 'X1' });

    const lift = await post(
      `/transfers/${transferId}/items/${secretRecord.archiveCode}/classification-review`,
      { to: 'PUBLIC', grounds: '保密期限已满，解密后进馆' },
      people.securityOfficer,
    );
    expect(lift.status).toBe(201);
    const [, changed] = await stored(`record-${secretRecord.archiveCode}`);
    expect(changed).toMatchObject({
      type: 'ClassificationChanged',
      data: { from: 'SECRET', to: 'PUBLIC', lifted: true },
    });

    await signBoth(transferId);
    const completed = await post(
      `/transfers/${transferId}/completion`,
      { note: '档案实体已清点交接' },
      people.archivist,
    );
    expect(completed.status).toBe(201);
    expect(completed.body).toMatchObject({
      transferId,
      events: ['TransferCompleted'],
      transferred: [publicRecord.archiveCode, secretRecord.archiveCode],
      withheld: [],
    });

    for (const r of [publicRecord, secretRecord]) {
      const events = await stored(`record-${r.archiveCode}`);
      const last = events[events.length - 1];
      expect(last.type).toBe('Transferred');
      expect(last.data).toMatchObject({
        transferId,
        receiver,
        receiptReference: '沪档接〔2026〕15号',
        approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
        transferredBy: { id: 'wang.fang', unit: 'ARCHIVE' },
        classification: 'PUBLIC',
      });
      expect(last.metadata.actor.id).toBe('wang.fang');
    }
    expect((await stored(`transfer-${transferId}`)).map((e) => e.type)).toEqual([
      'TransferListDrafted',
      'TransferItemAdded',
      'TransferItemAdded',
      'TransferClassificationReviewed',
      'TransferorSigned',
      'ReceiverSigned',
      'TransferCompletionStarted',
      'TransferCompleted',
    ]);

    // The catalogue, the statistics and the register show it.
    const after = completed.body.position as string;
    const catalogue = await get(`/records?status=transferred&after=${after}`, people.archivist);
    expect(catalogue.body.items.map((r: { archiveCode: string }) => r.archiveCode)).toEqual([
      publicRecord.archiveCode,
      secretRecord.archiveCode,
    ]);
    expect(catalogue.body.items[0]).toMatchObject({ custody: 'transferred', transferredMonth: '2026-03' });
    const activity = await get(`/statistics/activity?year=2026&after=${after}`, people.archivist);
    expect(activity.body.totals.transfers).toBe(2);
    const holdings = await get(`/statistics/holdings?after=${after}`, people.archivist);
    expect(holdings.body.total).toBe(0);
    const list = await get(`/transfers/${transferId}?after=${after}`, people.auditor);
    expect(list.status).toBe(200);
    expect(list.body).toMatchObject({
      transferId,
      status: 'completed',
      receiver,
      itemCount: 2,
      transferredCount: 2,
      transferorSignature: { signer: { id: 'liu.yang' }, opinion: '同意移交' },
      receiverSignature: { representative: '周明', receiptReference: '沪档接〔2026〕15号' },
    });
    expect(list.body.items[1].review).toMatchObject({ outcome: 'lifted', from: 'SECRET', to: 'PUBLIC' });
    const register = await get(`/transfers?status=completed&after=${after}`, people.archiveHead);
    expect(register.body).toMatchObject({ total: 1, items: [{ transferId, itemCount: 2 }] });

    // Transferred records refuse further loans; nothing is written.
    const count = await t.eventCount();
    const loan = await post(
      `/records/${publicRecord.archiveCode}/loans`,
      { mode: 'reading_room', purpose: '查阅' },
      people.salesperson,
    );
    expect(loan.status).toBe(422);
    expect(loan.body).toMatchObject({ error: 'RECORD_TRANSFERRED', rule: 'X1' });
    // Carrying it out again is a conflict.
    const again = await post(`/transfers/${transferId}/completion`, {}, people.archivist);
    expect(again.status).toBe(409);
    expect(again.body.error).toBe('TRANSFER_COMPLETED');
    expect(await t.eventCount()).toBe(count);
  });

  it('R6: a held record is not put on a transfer list (422, nothing written)', async () => {
    await fileRecord(t, publicRecord);
    await post(
      `/records/${publicRecord.archiveCode}/holds`,
      { kind: 'legal', reason: '诉讼保全' },
      people.complianceOfficer,
    );
    const drafted = await post('/transfers', { receiver, basis: '进馆' }, people.archivist);
    const count = await t.eventCount();
    const added = await post(
      `/transfers/${drafted.body.transferId}/items`,
      { archiveCode: publicRecord.archiveCode },
      people.archivist,
    );
    expect(added.status).toBe(422);
    expect(added.body).toMatchObject({ error: 'RECORD_HELD', rule: 'R6' });
    expect(await t.eventCount()).toBe(count);
  });

  it('R6: a hold placed after signing stops the transfer (422, nothing written)', async () => {
    await fileRecord(t, publicRecord);
    const transferId = await draftWith([publicRecord]);
    await signBoth(transferId);
    await post(
      `/records/${publicRecord.archiveCode}/holds`,
      { kind: 'audit', reason: '专项审计' },
      people.auditor,
    );
    const count = await t.eventCount();
    const completed = await post(`/transfers/${transferId}/completion`, {}, people.archiveHead);
    expect(completed.status).toBe(422);
    expect(completed.body).toMatchObject({ error: 'RECORD_HELD', rule: 'R6' });
    expect(await t.eventCount()).toBe(count);
  });

  it('X1: the first signature freezes the items; the list refuses the wrong people and bad input', async () => {
    await fileRecord(t, publicRecord);
    await fileRecord(t, permanent(3, 'PUBLIC', 'A-01-01-03'));
    const transferId = await draftWith([publicRecord]);
    await post(`/transfers/${transferId}/signatures/transferor`, {}, people.archiveHead);
    const count = await t.eventCount();

    const late = await post(
      `/transfers/${transferId}/items`,
      { archiveCode: 'Z001-WS-2014-Y-BGS-0003' },
      people.archivist,
    );
    expect(late.status).toBe(422);
    expect(late.body).toMatchObject({ error: 'TRANSFER_LIST_SIGNED', rule: 'X1' });

    const twice = await post(`/transfers/${transferId}/signatures/transferor`, {}, people.archiveHead);
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({ error: 'ALREADY_SIGNED', rule: 'X1' });

    const notYet = await post(`/transfers/${transferId}/completion`, {}, people.archivist);
    expect(notYet.status).toBe(422);
    expect(notYet.body).toMatchObject({ error: 'SIGNATURES_MISSING', rule: 'X1' });

    const wrongRole = await post(`/transfers/${transferId}/signatures/transferor`, {}, people.archivist);
    expect(wrongRole.status).toBe(403);

    const future = await post(
      `/transfers/${transferId}/signatures/receiver`,
      { receiptReference: '沪档接〔2026〕15号', signedOn: '2026-03-09' },
      people.archivist,
    );
    expect(future.status).toBe(400);
    expect(future.body.error).toBe('SIGNED_ON_IN_FUTURE');

    const bad = await post(
      '/transfers',
      { receiver: { organisation: ' ' }, basis: '', actor: 'x' },
      people.archivist,
    );
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field).sort()).toEqual([
      'actor',
      'basis',
      'receiver.organisation',
      'receiver.representative',
    ]);
    const unknown = await post(
      '/transfers/TR-2026-0099/items',
      { archiveCode: publicRecord.archiveCode },
      people.archivist,
    );
    expect(unknown.status).toBe(404);
    expect(unknown.body.error).toBe('TRANSFER_NOT_FOUND');
    const malformed = await get('/transfers/nope', people.archivist);
    expect(malformed.status).toBe(400);
    expect(await t.eventCount()).toBe(count);
  });

  it('A2: the register hides items above the reader’s clearance, counts included', async () => {
    await fileRecord(t, publicRecord);
    await fileRecord(t, secretRecord);
    const transferId = await draftWith([publicRecord, secretRecord]);
    const head = await t.store.headPosition();
    const low = await get(`/transfers/${transferId}?after=${head}`, lowArchivist);
    expect(low.status).toBe(200);
    expect(low.body.items.map((i: { archiveCode: string }) => i.archiveCode)).toEqual([
      publicRecord.archiveCode,
    ]);
    expect(low.body).toMatchObject({ itemCount: 1, awaitingReview: 0 });
    const listed = await get(`/transfers?after=${head}`, lowArchivist);
    expect(listed.body.items[0]).toMatchObject({ transferId, itemCount: 1 });
    const cleared = await get(`/transfers/${transferId}`, people.archivist);
    expect(cleared.body).toMatchObject({ itemCount: 2, awaitingReview: 1 });
  });

  it('X1: a completion interrupted after it started is finished when the service resumes it', async () => {
    await fileRecord(t, publicRecord);
    const transferId = await draftWith([publicRecord]);
    await signBoth(transferId);
    // The crash: TransferCompletionStarted is stored, no record has left custody yet.
    const started = await t.app.get(CommandShell).execute({
      decider: transferDecider,
      stream: `transfer-${transferId}`,
      commandType: 'StartTransferCompletion',
      command: {
        type: 'StartTransferCompletion',
        checks: [{ archiveCode: publicRecord.archiveCode, classification: 'PUBLIC', blockers: [] }],
      },
      context: { actor: actorOf(people.archivist), correlationId: 'crash', causationId: 'crash' },
    });
    await get(`/transfers?after=${started.position}`, people.archivist);

    expect(await t.app.get(TransferService).resumePending()).toEqual([transferId]);
    const events = await stored(`record-${publicRecord.archiveCode}`);
    expect(events.map((e) => e.type)).toEqual(['ArchiveFiled', 'Transferred']);
    expect(events[1].metadata).toMatchObject({
      actor: { id: 'wang.fang' },
      correlationId: `resume-${transferId}`,
    });
    expect((await stored(`transfer-${transferId}`)).map((e) => e.type).slice(-2)).toEqual([
      'TransferCompletionStarted',
      'TransferCompleted',
    ]);
    // Resumed again (or sent again): nothing is transferred twice.
    const count = await t.eventCount();
    const head = await t.store.headPosition();
    await get(`/transfers?after=${head}`, people.archivist);
    expect(await t.app.get(TransferService).resumePending()).toEqual([]);
    expect(await t.eventCount()).toBe(count);
  });

  describe('stock-taking (X2)', () => {
    const onShelf = {
      ...contractRecord,
      archiveCode: 'Z001-WS-2024-D30-BGS-0001',
      shelfLocation: 'A-03-01-01',
    };
    const moved = {
      ...contractRecord,
      archiveCode: 'Z001-WS-2024-D30-BGS-0002',
      shelfLocation: 'A-03-01-02',
    };
    const lost = { ...contractRecord, archiveCode: 'Z001-WS-2024-D30-BGS-0003', shelfLocation: 'A-03-01-03' };
    const elsewhere = {
      ...contractRecord,
      archiveCode: 'Z001-WS-2024-D30-BGS-0004',
      shelfLocation: 'B-01-01-01',
    };

    async function stockTake(findings: { archiveCode: string; location: string }[]) {
      const opened = await post(
        '/stock-takes',
        { locations: ['A-03'], note: '第一季度库房清点' },
        people.archivist,
      );
      expect(opened.status).toBe(201);
      const id = opened.body.stockTakeId as string;
      if (findings.length > 0) {
        const recorded = await post(`/stock-takes/${id}/findings`, { findings }, people.archivist);
        expect(recorded.status).toBe(201);
      }
      const closed = await post(`/stock-takes/${id}/closure`, {}, people.archivist);
      expect(closed.status).toBe(201);
      return { id, closed };
    }

    it('X2: records found where; the missing one is flagged on the record and in the catalogue until found', async () => {
      for (const r of [onShelf, moved, lost, elsewhere]) await fileRecord(t, r);
      const { id, closed } = await stockTake([
        { archiveCode: onShelf.archiveCode, location: 'A-03-01-01' },
        { archiveCode: moved.archiveCode, location: 'A-03-02-09' },
        { archiveCode: 'Z001-WS-2024-D30-BGS-0099', location: 'A-03-01-05' },
      ]);
      expect(id).toBe('ST-2026-0001');
      expect(closed.body).toMatchObject({
        stockTakeId: id,
        flaggedMissing: [lost.archiveCode],
        foundAgain: [],
      });
      const flagged = await stored(`record-${lost.archiveCode}`);
      expect(flagged[flagged.length - 1]).toMatchObject({
        type: 'MarkedMissing',
        data: { stockTakeId: id, shelfLocation: 'A-03-01-03' },
      });

      const after = closed.body.position as string;
      const report = await get(`/stock-takes/${id}?after=${after}`, people.archiveHead);
      expect(report.status).toBe(200);
      expect(report.body).toMatchObject({
        status: 'closed',
        found: 3,
        expected: 3,
        matched: 1,
        discrepancyCounts: {
          missing: 1,
          misplaced: 1,
          unknown_code: 1,
          left_custody: 0,
          found_while_on_loan: 0,
        },
      });
      expect(
        report.body.discrepancies.map((d: { kind: string; archiveCode: string }) => [d.kind, d.archiveCode]),
      ).toEqual([
        ['misplaced', moved.archiveCode],
        ['missing', lost.archiveCode],
        ['unknown_code', 'Z001-WS-2024-D30-BGS-0099'],
      ]);
      const missing = await get(`/records?status=missing&after=${after}`, people.archivist);
      expect(missing.body.items.map((r: { archiveCode: string }) => r.archiveCode)).toEqual([
        lost.archiveCode,
      ]);

      // X2: still missing at the next stock-take without a new flag; found at the one after.
      const second = await stockTake([
        { archiveCode: onShelf.archiveCode, location: 'A-03-01-01' },
        { archiveCode: moved.archiveCode, location: 'A-03-01-02' },
      ]);
      expect(second.closed.body.flaggedMissing).toEqual([]);
      const third = await stockTake([
        { archiveCode: onShelf.archiveCode, location: 'A-03-01-01' },
        { archiveCode: moved.archiveCode, location: 'A-03-01-02' },
        { archiveCode: lost.archiveCode, location: 'A-03-01-03' },
      ]);
      expect(third.closed.body.flaggedMissing).toEqual([]);
      expect(third.closed.body.foundAgain).toEqual([lost.archiveCode]);
      const found = await get(
        `/records?status=missing&after=${third.closed.body.position}`,
        people.archivist,
      );
      expect(found.body.items).toEqual([]);
    });

    it('X2: an archivist reports a missing record found; one not missing is a conflict (409, nothing written)', async () => {
      await fileRecord(t, lost);
      await stockTake([]);
      const found = await post(
        `/records/${lost.archiveCode}/found-again`,
        { location: 'A-03-01-04', note: '错架' },
        people.archivist,
      );
      expect(found.status).toBe(201);
      expect(found.body.events).toEqual(['FoundAgain']);
      const count = await t.eventCount();
      const again = await post(
        `/records/${lost.archiveCode}/found-again`,
        { location: 'A-03-01-04' },
        people.archivist,
      );
      expect(again.status).toBe(409);
      expect(again.body).toMatchObject({ error: 'RECORD_NOT_MISSING', rule: 'X2' });
      expect(await t.eventCount()).toBe(count);
    });

    it('X2: a closed stock-take refuses more findings; the closer must be cleared for the scope (A2)', async () => {
      await fileRecord(t, onShelf);
      await fileRecord(t, {
        ...plainRecord('Z001-WS-2024-D30-BGS-0009', 'SECRET'),
        shelfLocation: 'A-03-09-09',
      });
      const opened = await post('/stock-takes', { locations: ['A-03'] }, lowArchivist);
      const id = opened.body.stockTakeId as string;
      const count = await t.eventCount();
      const refused = await post(`/stock-takes/${id}/closure`, {}, lowArchivist);
      expect(refused.status).toBe(403);
      expect(refused.body.error).toBe('CLEARANCE_INSUFFICIENT');
      expect(await t.eventCount()).toBe(count);

      const closed = await post(`/stock-takes/${id}/closure`, {}, people.archivist);
      expect(closed.status).toBe(201);
      const late = await post(
        `/stock-takes/${id}/findings`,
        { findings: [{ archiveCode: 'X', location: 'A-03' }] },
        people.archivist,
      );
      expect(late.status).toBe(409);
      expect(late.body).toMatchObject({ error: 'STOCK_TAKE_CLOSED', rule: 'X2' });

      // A2: the low-cleared reader sees neither the SECRET record's entry nor its count.
      const low = await get(`/stock-takes/${id}?after=${closed.body.position}`, lowArchivist);
      expect(low.body).toMatchObject({ expected: 1, discrepancyCounts: { missing: 1 } });
      expect(low.body.discrepancies.map((d: { archiveCode: string }) => d.archiveCode)).toEqual([
        onShelf.archiveCode,
      ]);
      const cleared = await get(`/stock-takes/${id}`, people.archivist);
      expect(cleared.body).toMatchObject({ expected: 2, discrepancyCounts: { missing: 2 } });
    });
  });
});
