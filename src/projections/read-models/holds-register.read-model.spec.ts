import { contractRecord } from '../../../test/support/record-fixtures';
import { holdsRegisterReadModel } from './holds-register.read-model';
import { applyOne, entries, recordHistory, replay } from './ledger-replay.spec-helper';

const CODE = contractRecord.archiveCode;
const compliance = { id: 'xu.he', unit: 'LEGAL' };
const auditor = { id: 'lin.shen', unit: 'AUDIT' };

function history() {
  const at = recordHistory(CODE);
  return {
    at,
    filed: at({ type: 'ArchiveFiled', data: contractRecord }, '2026-02-27T08:00:00.000Z'),
    legal: at(
      {
        type: 'HoldPlaced',
        data: {
          holdId: 'H1',
          kind: 'legal',
          reason: '涉及合同纠纷诉讼，依法保全相关档案',
          reference: '（2026）沪0115民初1234号',
          placedBy: compliance,
        },
      },
      '2026-03-01T09:00:00.000Z',
    ),
    audit: at(
      {
        type: 'HoldPlaced',
        data: { holdId: 'H2', kind: 'audit', reason: '2025年度专项审计', placedBy: auditor },
      },
      '2026-03-02T09:00:00.000Z',
    ),
    releaseLegal: at(
      {
        type: 'HoldReleased',
        data: { holdId: 'H1', kind: 'legal', reason: '诉讼已结案，解除保全', releasedBy: compliance },
      },
      '2026-03-05T09:00:00.000Z',
    ),
  };
}

describe('holds register read model (R6)', () => {
  it('R6: a hold is registered with its kind, reason, reference, who placed it and when, and is active', async () => {
    const { filed, legal } = history();
    expect(entries(await replay(holdsRegisterReadModel, [filed, legal]))).toEqual([
      {
        id: `${CODE}/H1`,
        archiveCode: CODE,
        holdId: 'H1',
        title: contractRecord.title,
        classification: 'INTERNAL',
        classificationRank: 1,
        kind: 'legal',
        reason: '涉及合同纠纷诉讼，依法保全相关档案',
        reference: '（2026）沪0115民初1234号',
        placedBy: compliance,
        placedAt: '2026-03-01T09:00:00.000Z',
        active: true,
        releasedBy: null,
        releasedAt: null,
        releaseReason: null,
        _stream: `record-${CODE}`,
        _revision: 1,
      },
    ]);
  });

  it('R6: a released hold stays in the register, inactive, with who released it, when and why', async () => {
    const { filed, legal, audit, releaseLegal } = history();
    const docs = await replay(holdsRegisterReadModel, [filed, legal, audit, releaseLegal]);
    expect(docs.get(`${CODE}/H1`)).toMatchObject({
      active: false,
      releasedBy: compliance,
      releasedAt: '2026-03-05T09:00:00.000Z',
      releaseReason: '诉讼已结案，解除保全',
    });
    expect(docs.get(`${CODE}/H2`)).toMatchObject({
      kind: 'audit',
      active: true,
      reference: null,
      placedBy: auditor,
    });
  });

  it('F5, F6, A2: a corrected title and a classification change reach every hold of the record', async () => {
    const { at, filed, legal, audit } = history();
    const docs = await replay(holdsRegisterReadModel, [filed, legal, audit]);
    const pages = at(
      {
        type: 'MetadataCorrected',
        data: {
          correctionId: 'C1',
          before: { pageCount: 12 },
          after: { pageCount: 14 },
          reason: '页数',
          proposedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
        },
      },
      '2026-03-03T09:00:00.000Z',
    );
    expect(holdsRegisterReadModel.route(pages)).toBeUndefined();
    await applyOne(
      holdsRegisterReadModel,
      docs,
      at(
        {
          type: 'MetadataCorrected',
          data: {
            correctionId: 'C2',
            before: { title: contractRecord.title },
            after: { title: '续签请示（更正）' },
            reason: '题名录入错误',
            proposedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
            approvedBy: { id: 'liu.yang', unit: 'ARCHIVE' },
          },
        },
        '2026-03-04T09:00:00.000Z',
      ),
    );
    await applyOne(
      holdsRegisterReadModel,
      docs,
      at(
        {
          type: 'ClassificationChanged',
          data: {
            from: 'INTERNAL',
            to: 'CONFIDENTIAL',
            lifted: false,
            grounds: '涉诉',
            approvedBy: { id: 'qian.bao', unit: 'SECURITY' },
          },
        },
        '2026-03-04T10:00:00.000Z',
      ),
    );
    expect(entries(docs).map((doc) => [doc.id, doc['title'], doc['classificationRank']])).toEqual([
      [`${CODE}/H1`, '续签请示（更正）', 3],
      [`${CODE}/H2`, '续签请示（更正）', 3],
    ]);
  });

  it('a correction proposal does not concern the holds register', async () => {
    const at = recordHistory(CODE);
    at({ type: 'ArchiveFiled', data: contractRecord }, '2026-02-27T08:00:00.000Z');
    const proposal = at(
      {
        type: 'MetadataCorrectionProposed',
        data: {
          correctionId: 'C1',
          before: {},
          after: { pageCount: 14 },
          reason: '页数',
          proposedBy: compliance,
        },
      },
      '2026-03-01T09:00:00.000Z',
    );
    expect(holdsRegisterReadModel.route(proposal)).toBeUndefined();
  });
});
