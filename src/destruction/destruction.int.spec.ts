import { people } from '../../test/support/people';
import { startTestApp, type TestApp } from '../../test/support/test-app';
import { fileRecord } from '../../test/support/filed-record';
import { DestructionExecutionService } from './destruction-execution.service';
import {
  destroyedCount,
  draftList,
  fileAndRelease,
  post,
  readyList,
  SIGNERS,
  signAll,
  waitUntilExecuted,
  witnessCheck,
} from './destruction-flow.spec-helper';
import { expiredSalesRecord, permanentSalesRecord } from './destruction.fixtures.spec-helper';

const r = [1, 2, 3, 4].map((n) => expiredSalesRecord(n));
const codes = r.map((m) => m.archiveCode);

jest.setTimeout(30_000);

describe('destruction lists over HTTP (D1–D6)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('D6: a signed, witnessed list is executed: Destroyed on every record, citing list, signatures and witnesses', async () => {
    await fileAndRelease(t, r[0]);
    await fileAndRelease(t, r[1]);
    const listId = await readyList(t, codes.slice(0, 2));
    const executed = await post(t, `/destruction-lists/${listId}/execution`, people.archivist);
    expect(executed.status).toBe(201);
    expect(executed.body).toMatchObject({ listId, events: ['DestructionExecutionStarted'] });
    await waitUntilExecuted(t, listId);

    for (const code of codes.slice(0, 2)) {
      const events = await t.store.readStream(`record-${code}`);
      const destroyed = events[events.length - 1];
      expect(destroyed.type).toBe('Destroyed');
      expect(destroyed.metadata.actor.id).toBe(people.archivist.user);
      expect(destroyed.data).toMatchObject({
        listId,
        destroyedOn: '2026-03-01',
        policyVersion: 1,
        electronicContent: 'none_held',
        witnesses: [
          { capacity: 'archive', witness: { id: 'song.jie', unit: 'ARCHIVE' } },
          { capacity: 'business', witness: { id: 'deng.hui', unit: 'SALES' } },
        ],
      });
      expect((destroyed.data.signatures as { capacity: string }[]).map((s) => s.capacity)).toEqual(
        SIGNERS.map(([c]) => c),
      );
    }
    const list = await t.store.readStream(`destruction-${listId}`);
    expect(list[list.length - 1]).toMatchObject({
      type: 'DestructionExecuted',
      data: { destroyed: codes.slice(0, 2), withheld: [] },
    });
  });

  it('D6: a destroyed record refuses every further command (422 naming D6), nothing written', async () => {
    await fileAndRelease(t, r[0]);
    const listId = await readyList(t, [codes[0]]);
    await post(t, `/destruction-lists/${listId}/execution`, people.archivist);
    await waitUntilExecuted(t, listId);
    const before = await t.eventCount();
    const hold = await post(t, `/records/${codes[0]}/holds`, people.complianceOfficer, {
      kind: 'legal',
      reason: '涉诉',
    });
    expect(hold.status).toBe(422);
    expect(hold.body).toMatchObject({ error: 'RECORD_DESTROYED', rule: 'D6' });
    const loan = await post(t, `/records/${codes[0]}/loans`, people.salesperson, {
      mode: 'reading_room',
      purpose: '查阅',
    });
    expect(loan.status).toBe(422);
    expect(loan.body.rule).toBe('D6');
    const appraisal = await post(t, `/records/${codes[0]}/appraisals`, people.appraiser, {
      decision: 'keep',
      grounds: '复核',
      members: [{ id: 'tang.ping', unit: 'LEGAL' }],
      newRetentionClass: 'D30',
    });
    expect(appraisal.status).toBe(422);
    expect(appraisal.body.rule).toBe('D6');
    expect(await t.eventCount()).toBe(before);
  });

  it('D1: listing a PERMANENT, unappraised or held record is refused naming the rule; nothing written', async () => {
    await fileRecord(t, permanentSalesRecord);
    await fileRecord(t, r[0]);
    await fileAndRelease(t, r[1]);
    await post(t, `/records/${codes[1]}/holds`, people.complianceOfficer, {
      kind: 'legal',
      reason: '涉及合同纠纷诉讼',
    });
    const listId = await draftList(t, []);
    const before = await t.eventCount();
    for (const [code, expected] of [
      [permanentSalesRecord.archiveCode, 'PERMANENT_NEVER_DESTROYED'],
      [codes[0], 'NOT_APPRAISED'],
      [codes[1], 'RECORD_UNDER_HOLD'],
    ]) {
      const added = await post(t, `/destruction-lists/${listId}/items`, people.archivist, {
        archiveCode: code,
      });
      expect(added.status).toBe(422);
      expect(added.body).toMatchObject({ error: expected, rule: 'D1' });
    }
    const unknown = await post(t, `/destruction-lists/${listId}/items`, people.archivist, {
      archiveCode: codes[3],
    });
    expect(unknown.status).toBe(404);
    expect(await t.eventCount()).toBe(before);
  });

  it('D1: a hold placed after the list was signed stops its execution (422 D1), nothing written', async () => {
    await fileAndRelease(t, r[0]);
    const listId = await readyList(t, [codes[0]]);
    await post(t, `/records/${codes[0]}/holds`, people.auditor, {
      kind: 'audit',
      reason: '2025年度专项审计',
    });
    const before = await t.eventCount();
    const executed = await post(t, `/destruction-lists/${listId}/execution`, people.archivist);
    expect(executed.status).toBe(422);
    expect(executed.body).toMatchObject({ error: 'RECORD_UNDER_HOLD', rule: 'D1' });
    expect(await t.eventCount()).toBe(before);
  });

  it('D3: a list with five of six signatures cannot execute (422 D3), nothing written', async () => {
    await fileAndRelease(t, r[0]);
    const listId = await draftList(t, [codes[0]]);
    await signAll(t, listId, SIGNERS.slice(0, 5));
    const before = await t.eventCount();
    const executed = await post(t, `/destruction-lists/${listId}/execution`, people.archivist);
    expect(executed.status).toBe(422);
    expect(executed.body).toMatchObject({ error: 'SIGNATURES_MISSING', rule: 'D3' });
    expect(await t.eventCount()).toBe(before);
  });

  it('D3: a signature by someone without the role is refused (403), nothing written', async () => {
    await fileAndRelease(t, r[0]);
    const listId = await draftList(t, [codes[0]]);
    const before = await t.eventCount();
    const byBorrower = await post(t, `/destruction-lists/${listId}/signatures`, people.salesperson, {
      decision: 'approve',
      opinion: '同意',
    });
    expect(byBorrower.status).toBe(403);
    expect(byBorrower.body.code).toBe('ROLE_REQUIRED');
    const wrongUnit = await post(t, `/destruction-lists/${listId}/signatures`, people.financeHead, {
      capacity: 'business_department_head',
      decision: 'approve',
      opinion: '同意',
    });
    expect(wrongUnit.status).toBe(403);
    expect(wrongUnit.body).toMatchObject({ error: 'NOT_A_REQUIRED_SIGNER', rule: 'D3' });
    expect(await t.eventCount()).toBe(before);
  });

  it('D3: one refusal closes the list; D4: no items change once signed', async () => {
    await fileAndRelease(t, r[0]);
    await fileAndRelease(t, r[1]);
    const listId = await draftList(t, [codes[0]]);
    await signAll(t, listId, SIGNERS.slice(0, 1));
    let before = await t.eventCount();
    const add = await post(t, `/destruction-lists/${listId}/items`, people.archivist, {
      archiveCode: codes[1],
    });
    expect(add.status).toBe(409);
    expect(add.body).toMatchObject({ error: 'DESTRUCTION_LIST_SIGNED', rule: 'D4' });
    const remove = await post(t, `/destruction-lists/${listId}/items/${codes[0]}/removal`, people.archivist, {
      reason: '暂缓',
    });
    expect(remove.status).toBe(409);
    expect(remove.body.rule).toBe('D4');
    expect(await t.eventCount()).toBe(before);

    const refused = await post(t, `/destruction-lists/${listId}/signatures`, people.officeHead, {
      decision: 'refuse',
      opinion: '不同意：该批合同仍有查考价值',
    });
    expect(refused.status).toBe(201);
    expect(refused.body.events).toEqual(['DestructionListRefused']);
    before = await t.eventCount();
    const after = await post(t, `/destruction-lists/${listId}/signatures`, people.archiveHead, {
      decision: 'approve',
      opinion: '同意',
    });
    expect(after.status).toBe(409);
    expect(after.body.error).toBe('DESTRUCTION_LIST_CLOSED');
    expect(await t.eventCount()).toBe(before);
  });

  it('D5: two witnesses from the same unit are refused (422 D5), nothing written', async () => {
    await fileAndRelease(t, r[0]);
    const listId = await draftList(t, [codes[0]]);
    await signAll(t, listId);
    expect((await witnessCheck(t, listId, [codes[0]], people.archiveWitness)).status).toBe(201);
    const before = await t.eventCount();
    const second = await witnessCheck(t, listId, [codes[0]], people.archiveWitness2);
    expect(second.status).toBe(422);
    expect(second.body).toMatchObject({ error: 'WITNESS_UNIT_TAKEN', rule: 'D5' });
    const executed = await post(t, `/destruction-lists/${listId}/execution`, people.archivist);
    expect(executed.status).toBe(422);
    expect(executed.body).toMatchObject({ error: 'WITNESSES_MISSING', rule: 'D5' });
    expect(await t.eventCount()).toBe(before);
  });

  it('D6: a crash in the middle of execution completes on restart, every record destroyed exactly once', async () => {
    for (const m of r) await fileAndRelease(t, m);
    const listId = await readyList(t, codes);
    const executor = t.app.get(DestructionExecutionService);
    let crashes = 0;
    // Crash after the second record's Destroyed was appended, before the checkpoint moves.
    executor.faults = {
      afterDestroy: (_list, _code, index) => {
        if (index === 1) {
          crashes++;
          throw new Error('simulated crash');
        }
      },
    };
    expect((await post(t, `/destruction-lists/${listId}/execution`, people.archivist)).status).toBe(201);
    const deadline = Date.now() + 10_000;
    while (crashes === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await executor.stop();

    const halfWay = await destroyedCount(t);
    expect([...halfWay.keys()].sort()).toEqual(codes.slice(0, 2));
    const list = await t.store.readStream(`destruction-${listId}`);
    expect(list.map((e) => e.type)).not.toContain('DestructionExecuted');

    executor.faults = {};
    executor.start();
    await waitUntilExecuted(t, listId);
    const counts = await destroyedCount(t);
    expect(Object.fromEntries(counts)).toEqual(Object.fromEntries(codes.map((c) => [c, 1])));
    const executedEvents = (await t.store.readStream(`destruction-${listId}`)).filter(
      (e) => e.type === 'DestructionExecuted',
    );
    expect(executedEvents).toHaveLength(1);
    expect(executedEvents[0].data).toMatchObject({ destroyed: codes, withheld: [] });
  });

  it('D6: a crash before a record is purged and destroyed resumes with that record', async () => {
    for (const m of r.slice(0, 3)) await fileAndRelease(t, m);
    const listId = await readyList(t, codes.slice(0, 3));
    const executor = t.app.get(DestructionExecutionService);
    let crashed = false;
    executor.faults = {
      beforeDestroy: (_list, _code, index) => {
        if (index === 2) {
          crashed = true;
          throw new Error('simulated crash');
        }
      },
    };
    await post(t, `/destruction-lists/${listId}/execution`, people.archivist);
    const deadline = Date.now() + 10_000;
    while (!crashed && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await executor.stop();
    expect([...(await destroyedCount(t)).keys()].sort()).toEqual(codes.slice(0, 2));

    executor.faults = {};
    executor.start();
    await waitUntilExecuted(t, listId);
    expect(Object.fromEntries(await destroyedCount(t))).toEqual(
      Object.fromEntries(codes.slice(0, 3).map((c) => [c, 1])),
    );
  });
});
