import { contractRecord } from '../../../test/support/record-fixtures';
import { entries, recordHistory, replay } from './ledger-replay.spec-helper';
import { modificationLedgerReadModel } from './modification-ledger.read-model';

const CODE = contractRecord.archiveCode;
const archivist = { id: 'wang.fang', unit: 'ARCHIVE' };
const archiveHead = { id: 'liu.yang', unit: 'ARCHIVE' };
const newTitle = '关于2024年度客户合同续签的请示（更正）';

function history() {
  const at = recordHistory(CODE);
  const filed = at({ type: 'ArchiveFiled', data: contractRecord }, '2026-02-27T08:00:00.000Z');
  const proposeTitle = at(
    {
      type: 'MetadataCorrectionProposed',
      data: {
        correctionId: 'C1',
        before: { title: contractRecord.title, pageCount: 12 },
        after: { title: newTitle, pageCount: 14 },
        reason: '题名录入错误，与原件不符',
        proposedBy: archivist,
      },
    },
    '2026-03-01T09:00:00.000Z',
  );
  const correctTitle = at(
    {
      type: 'MetadataCorrected',
      data: {
        correctionId: 'C1',
        before: { title: contractRecord.title, pageCount: 12 },
        after: { title: newTitle, pageCount: 14 },
        reason: '题名录入错误，与原件不符',
        proposedBy: archivist,
        approvedBy: archiveHead,
      },
    },
    '2026-03-01T10:00:00.000Z',
  );
  const proposeShelf = at(
    {
      type: 'MetadataCorrectionProposed',
      data: {
        correctionId: 'C2',
        before: { shelfLocation: 'A-03-02-15' },
        after: { shelfLocation: 'A-03-02-16' },
        reason: '上架位置调整',
        proposedBy: archivist,
      },
    },
    '2026-03-02T09:00:00.000Z',
  );
  const rejectShelf = at(
    {
      type: 'MetadataCorrectionRejected',
      data: { correctionId: 'C2', rejectedBy: archiveHead, reason: '实物仍在原位置' },
    },
    '2026-03-02T10:00:00.000Z',
  );
  const reclassify = at(
    {
      type: 'ClassificationChanged',
      data: {
        from: 'INTERNAL',
        to: 'SECRET',
        lifted: false,
        grounds: '涉及商业秘密',
        approvedBy: { id: 'qian.bao', unit: 'SECURITY' },
      },
    },
    '2026-03-03T09:00:00.000Z',
  );
  return { filed, proposeTitle, correctTitle, proposeShelf, rejectShelf, reclassify };
}

describe('modification ledger read model (修改台帐)', () => {
  it('F5: a proposed correction is listed with the fields before and after, the reason, who proposed it and when', async () => {
    const { filed, proposeTitle } = history();
    const docs = await replay(modificationLedgerReadModel, [filed, proposeTitle]);
    expect(entries(docs)).toEqual([
      {
        id: `${CODE}/C1`,
        archiveCode: CODE,
        correctionId: 'C1',
        title: contractRecord.title,
        classification: 'INTERNAL',
        classificationRank: 1,
        fields: ['pageCount', 'title'],
        before: { title: contractRecord.title, pageCount: 12 },
        after: { title: newTitle, pageCount: 14 },
        reason: '题名录入错误，与原件不符',
        proposedBy: archivist,
        proposedAt: '2026-03-01T09:00:00.000Z',
        status: 'proposed',
        approvedBy: null,
        rejectedBy: null,
        decidedAt: null,
        rejectionReason: null,
        _stream: `record-${CODE}`,
        _revision: 1,
      },
    ]);
  });

  it('F5: an approved correction says who approved it and when; a rejected one who rejected it and why', async () => {
    const { filed, proposeTitle, correctTitle, proposeShelf, rejectShelf } = history();
    const docs = await replay(modificationLedgerReadModel, [
      filed,
      proposeTitle,
      correctTitle,
      proposeShelf,
      rejectShelf,
    ]);
    expect(docs.get(`${CODE}/C1`)).toMatchObject({
      status: 'corrected',
      approvedBy: archiveHead,
      decidedAt: '2026-03-01T10:00:00.000Z',
      before: { title: contractRecord.title, pageCount: 12 },
      after: { title: newTitle, pageCount: 14 },
      rejectedBy: null,
    });
    expect(docs.get(`${CODE}/C2`)).toMatchObject({
      status: 'rejected',
      rejectedBy: archiveHead,
      rejectionReason: '实物仍在原位置',
      decidedAt: '2026-03-02T10:00:00.000Z',
      approvedBy: null,
      before: { shelfLocation: 'A-03-02-15' },
      after: { shelfLocation: 'A-03-02-16' },
    });
  });

  it('F5: every entry shows the record’s current title, also those proposed after the title was corrected', async () => {
    const { filed, proposeTitle, correctTitle, proposeShelf } = history();
    const docs = await replay(modificationLedgerReadModel, [filed, proposeTitle, correctTitle, proposeShelf]);
    expect(entries(docs).map((doc) => [doc.id, doc['title']])).toEqual([
      [`${CODE}/C1`, newTitle],
      [`${CODE}/C2`, newTitle],
    ]);
  });

  it('F6, A2: a classification change reaches every correction of the record', async () => {
    const { filed, proposeTitle, correctTitle, proposeShelf, rejectShelf, reclassify } = history();
    expect(modificationLedgerReadModel.route(reclassify)).toEqual({ where: { archiveCode: CODE } });
    const docs = await replay(modificationLedgerReadModel, [
      filed,
      proposeTitle,
      correctTitle,
      proposeShelf,
      rejectShelf,
      reclassify,
    ]);
    expect(entries(docs).map((doc) => [doc.id, doc['classification'], doc['classificationRank']])).toEqual([
      [`${CODE}/C1`, 'SECRET', 2],
      [`${CODE}/C2`, 'SECRET', 2],
    ]);
  });

  it('A2: a correction whose record has no catalogue document gets no classificationRank, so no query shows it', async () => {
    const { proposeTitle } = history();
    const noCatalogueDoc = undefined;
    expect(modificationLedgerReadModel.apply(noCatalogueDoc, proposeTitle)).not.toHaveProperty(
      'classificationRank',
    );
  });
});
