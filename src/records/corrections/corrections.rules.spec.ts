import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import { contractRecord, plainRecord } from '../../../test/support/record-fixtures';
import type { DecideCorrection, ProposeCorrection } from '../record.commands';
import { recordDecider } from '../record.decider';
import type { MetadataChanges, RecordEvent } from '../record.events';
import { evolveRecord, type FiledRecord } from '../record.state';

const archivist = actorOf(people.archivist);
const archivist2 = actorOf(people.archivist2);
const archiveHead = actorOf(people.archiveHead);
const spec = deciderSpecification(recordDecider, { actor: archivist, now: new Date('2026-03-01T09:00:00Z') });

const filed: RecordEvent = { type: 'ArchiveFiled', data: contractRecord };
const propose = (changes: MetadataChanges, reason = '题名录入错误，与原件不符'): ProposeCorrection => ({
  type: 'ProposeCorrection',
  changes,
  reason,
});
const approve = (correctionId = 'C1'): DecideCorrection => ({
  type: 'DecideCorrection',
  correctionId,
  decision: 'approve',
});
const reject = (correctionId = 'C1', reason?: string): DecideCorrection => ({
  type: 'DecideCorrection',
  correctionId,
  decision: 'reject',
  ...(reason !== undefined ? { reason } : {}),
});

const newTitle = '关于2024年度客户合同续签的请示（更正）';
const proposed: RecordEvent = {
  type: 'MetadataCorrectionProposed',
  data: {
    correctionId: 'C1',
    before: { title: contractRecord.title, pageCount: 12 },
    after: { title: newTitle, pageCount: 14 },
    reason: '题名录入错误，与原件不符',
    proposedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
  },
};
const corrected: RecordEvent = {
  type: 'MetadataCorrected',
  data: {
    correctionId: 'C1',
    before: { title: contractRecord.title, pageCount: 12 },
    after: { title: newTitle, pageCount: 14 },
    reason: '题名录入错误，与原件不符',
    proposedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
    approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
  },
};

function fold(events: readonly RecordEvent[]): FiledRecord {
  return events.reduce(evolveRecord, recordDecider.initialState()) as FiledRecord;
}

describe('corrections (修改) — F5', () => {
  it('F5: a correction is proposed with the fields before and after, its reason and its proposer', () => {
    spec([filed])
      .when(propose({ title: newTitle, pageCount: 14 }))
      .then([proposed]);
  });

  it('F5: a correction carries the fields before and after, the reason and who approved it', () => {
    spec([filed, proposed]).when(approve(), { actor: archiveHead }).then([corrected]);
  });

  it('F5: an approved correction changes the metadata; a proposed one does not yet', () => {
    expect(fold([filed, proposed]).metadata.title).toBe(contractRecord.title);
    const after = fold([filed, proposed, corrected]);
    expect(after.metadata).toMatchObject({ title: newTitle, pageCount: 14 });
    expect(after.pendingCorrection).toBeUndefined();
    expect(after.corrections).toBe(1);
  });

  it('F5: clearing an optional field records null before or after, and the field is gone once approved', () => {
    const clear = propose({ counterparty: null });
    spec([filed])
      .when(clear)
      .then([
        {
          type: 'MetadataCorrectionProposed',
          data: {
            correctionId: 'C1',
            before: { counterparty: '华东精密机械有限公司' },
            after: { counterparty: null },
            reason: '题名录入错误，与原件不符',
            proposedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          },
        },
      ]);
    const [event] = recordDecider.decide(clear, fold([filed]), { actor: archivist, now: new Date(0) });
    const [approved] = recordDecider.decide(approve(), fold([filed, event]), {
      actor: archiveHead,
      now: new Date(0),
    });
    expect(fold([filed, event, approved]).metadata).not.toHaveProperty('counterparty');
  });

  it('F5: a field absent from the record is recorded as null before', () => {
    const noCounterparty: RecordEvent = {
      type: 'ArchiveFiled',
      data: plainRecord('Z001-WS-2024-D30-BGS-0008', 'INTERNAL'),
    };
    const [event] = recordDecider.decide(
      propose({ counterparty: '华东精密机械有限公司' }),
      fold([noCounterparty]),
      {
        actor: archivist,
        now: new Date(0),
      },
    );
    expect(event).toMatchObject({
      data: { before: { counterparty: null }, after: { counterparty: '华东精密机械有限公司' } },
    });
  });

  it('F5: a rejected correction records who rejected it and why, and changes nothing', () => {
    const rejected: RecordEvent = {
      type: 'MetadataCorrectionRejected',
      data: { correctionId: 'C1', rejectedBy: { id: 'liu.yang', unit: 'ARCHIVE' }, reason: '原件题名无误' },
    };
    spec([filed, proposed]).when(reject('C1', '原件题名无误'), { actor: archiveHead }).then([rejected]);
    const after = fold([filed, proposed, rejected]);
    expect(after.metadata.title).toBe(contractRecord.title);
    expect(after.pendingCorrection).toBeUndefined();
  });

  it('F5: the next correction is numbered after every decided one', () => {
    const [next] = recordDecider.decide(
      propose({ shelfLocation: 'A-03-02-16' }),
      fold([filed, proposed, corrected]),
      {
        actor: archivist,
        now: new Date(0),
      },
    );
    expect(next).toMatchObject({ type: 'MetadataCorrectionProposed', data: { correctionId: 'C2' } });
  });

  it('F5: nobody approves their own correction', () => {
    const proposerWhoHeads = { ...archiveHead, id: 'wang.fang' };
    spec([filed, proposed])
      .when(approve(), { actor: proposerWhoHeads })
      .thenRefused({ kind: 'rule', rule: 'F5', code: 'SELF_APPROVAL' });
    spec([filed, proposed])
      .when(reject('C1', '不同意'), { actor: proposerWhoHeads })
      .thenRefused({ kind: 'rule', rule: 'F5', code: 'SELF_APPROVAL' });
  });

  it('F5: only the archive department head decides a correction', () => {
    spec([filed, proposed])
      .when(approve(), { actor: archivist2 })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('F5: only an archivist proposes a correction', () => {
    spec([filed])
      .when(propose({ title: newTitle }), { actor: archiveHead })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('F5: a rejection must state its reason', () => {
    const error = spec([filed, proposed])
      .when(reject('C1', '  '), { actor: archiveHead })
      .thenRefused({ kind: 'invalid', code: 'REASON_REQUIRED' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['reason']);
    spec([filed, proposed])
      .when(reject('C1'), { actor: archiveHead })
      .thenRefused({ kind: 'invalid', code: 'REASON_REQUIRED' });
  });

  it('F5: refuses a correction that changes nothing', () => {
    const error = spec([filed]).when(propose({})).thenRefused({ kind: 'invalid', code: 'NO_CHANGE' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['changes']);
  });

  it('F5: refuses a change equal to the current value, naming the field', () => {
    const error = spec([filed])
      .when(propose({ title: contractRecord.title, keywords: ['合同', '续签'], pageCount: 14 }))
      .thenRefused({ kind: 'invalid', code: 'NO_CHANGE' });
    expect(error.details.fields?.map((f) => f.field)).toEqual(['changes.title', 'changes.keywords']);
  });

  it('F5: refuses to clear a field the record cannot lack', () => {
    const error = spec([filed])
      .when(propose({ title: null, documentNumber: null } as unknown as MetadataChanges))
      .thenRefused({ kind: 'invalid', code: 'CORRECTION_INVALID' });
    expect(error.details.fields).toEqual([
      { field: 'changes.title', problems: ['title is required and cannot be cleared'] },
    ]);
  });

  it('F5: refuses to correct identity, retention or classification through a correction', () => {
    const error = spec([filed])
      .when(
        propose({ archiveCode: 'Z001-WS-2024-D30-BGS-0099', classification: 'PUBLIC' } as MetadataChanges),
      )
      .thenRefused({ kind: 'invalid', code: 'CORRECTION_INVALID' });
    expect(error.details.fields?.map((f) => f.field)).toEqual([
      'changes.archiveCode',
      'changes.classification',
    ]);
  });

  it('F5: a correction states its reason', () => {
    spec([filed])
      .when(propose({ title: newTitle }, ' '))
      .thenRefused({ kind: 'invalid', code: 'REASON_REQUIRED' });
  });

  it('F5: only one correction waits for a decision at a time', () => {
    spec([filed, proposed])
      .when(propose({ shelfLocation: 'A-03-02-16' }))
      .thenRefused({ kind: 'conflict', code: 'CORRECTION_PENDING', rule: 'F5' });
  });

  it('F5: an unknown correction is not found; a decided one cannot be decided again', () => {
    spec([filed, proposed])
      .when(approve('C7'), { actor: archiveHead })
      .thenRefused({ kind: 'not_found', code: 'CORRECTION_NOT_FOUND' });
    spec([filed])
      .when(approve('C1'), { actor: archiveHead })
      .thenRefused({ kind: 'not_found', code: 'CORRECTION_NOT_FOUND' });
    spec([filed, proposed, corrected])
      .when(reject('C1', '再议'), { actor: archiveHead })
      .thenRefused({ kind: 'conflict', code: 'CORRECTION_ALREADY_DECIDED', rule: 'F5' });
  });

  it('A2: a record above the caller’s clearance cannot be corrected: it is not found', () => {
    const secretFiled: RecordEvent = {
      type: 'ArchiveFiled',
      data: plainRecord('Z001-WS-2024-D30-BGS-0009', 'CONFIDENTIAL'),
    };
    spec([secretFiled])
      .when(propose({ title: newTitle }))
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });
});
