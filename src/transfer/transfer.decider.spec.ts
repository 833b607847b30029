import { deciderSpecification } from '../../test/support/decider-specification';
import { actorOf, people } from '../../test/support/people';
import { transferDecider, type TransferCommand, type TransferItemCheck } from './transfer.decider';
import type { TransferEvent, TransferItemFacts } from './transfer.events';

const archivist = actorOf(people.archivist);
const archiveHead = actorOf(people.archiveHead);
const securityOfficer = actorOf(people.securityOfficer);
const now = new Date('2026-03-01T09:00:00Z');
const spec = deciderSpecification(transferDecider, { actor: archivist, now });

const transferId = 'TR-2026-0001';
const receiver = { organisation: '上海市档案馆', representative: '周明' };
const item = (
  archiveCode: string,
  classification: TransferItemFacts['classification'],
): TransferItemFacts => ({
  archiveCode,
  title: '关于2014年度经营工作的总结报告',
  documentNumber: '办字〔2014〕3号',
  responsibleParty: '办公室',
  dateFormed: '2014-12-20',
  retentionClass: 'PERMANENT',
  classification,
  shelfLocation: 'A-01-01-01',
  itemCount: 1,
});
const publicItem = item('Z001-WS-2014-Y-BGS-0001', 'PUBLIC');
const secretItem = item('Z001-WS-2014-Y-BGS-0002', 'SECRET');
const clean = (facts: TransferItemFacts): TransferItemCheck => ({
  archiveCode: facts.archiveCode,
  classification: facts.classification,
  blockers: [],
});

const drafted: TransferEvent = {
  type: 'TransferListDrafted',
  data: { transferId, receiver, basis: '永久档案进馆', draftedBy: { id: 'wang.fang', unit: 'ARCHIVE' } },
};
const added = (facts: TransferItemFacts): TransferEvent => ({
  type: 'TransferItemAdded',
  data: { transferId, item: facts, addedBy: { id: 'wang.fang', unit: 'ARCHIVE' } },
});
const lifted: TransferEvent = {
  type: 'TransferClassificationReviewed',
  data: {
    transferId,
    archiveCode: secretItem.archiveCode,
    outcome: 'lifted',
    from: 'SECRET',
    to: 'PUBLIC',
    grounds: '保密期限已满',
    reviewedBy: { id: 'qian.bao', unit: 'SECURITY' },
  },
};
const ourSignature: TransferEvent = {
  type: 'TransferorSigned',
  data: {
    transferId,
    signer: { id: 'liu.yang', unit: 'ARCHIVE' },
    role: 'archive_department_head',
    opinion: '同意移交',
  },
};
const theirSignature: TransferEvent = {
  type: 'ReceiverSigned',
  data: {
    transferId,
    representative: '周明',
    organisation: '上海市档案馆',
    receiptReference: '沪档接〔2026〕15号',
    signedOn: '2026-03-01',
    recordedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
  },
};
const afterReview = { ...secretItem, classification: 'PUBLIC' as const };
const reviewedList = [drafted, added(publicItem), added(secretItem), lifted];
const checksAfterReview = [clean(publicItem), clean(afterReview)];

describe('transfer list (移交清册) — X1', () => {
  it('X1: an archivist drafts a list naming the receiving custodian and its representative', () => {
    spec([]).when({ type: 'DraftTransferList', transferId, receiver, basis: '永久档案进馆' }).then([drafted]);
    spec([])
      .when({ type: 'DraftTransferList', transferId, receiver, basis: '进馆' }, { actor: archiveHead })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('X1: a record is listed with its facts; listing it twice is a conflict', () => {
    spec([drafted])
      .when({ type: 'AddTransferItem', item: publicItem, check: clean(publicItem) })
      .then([added(publicItem)]);
    spec([drafted, added(publicItem)])
      .when({ type: 'AddTransferItem', item: publicItem, check: clean(publicItem) })
      .thenRefused({ kind: 'conflict', code: 'ITEM_ALREADY_LISTED' });
  });

  it('R6: a record under a hold is not listed (the check carries the hold)', () => {
    const check: TransferItemCheck = {
      ...clean(publicItem),
      blockers: [{ kind: 'rule', code: 'RECORD_HELD', rule: 'R6', message: 'R6: held' }],
    };
    spec([drafted])
      .when({ type: 'AddTransferItem', item: publicItem, check })
      .thenRefused({ kind: 'rule', code: 'RECORD_HELD', rule: 'R6' });
  });

  it('X1: classification is reviewed before signing — a SECRET item lifted, by a security officer', () => {
    spec([drafted, added(secretItem)])
      .when(
        {
          type: 'ReviewTransferClassification',
          archiveCode: secretItem.archiveCode,
          to: 'PUBLIC',
          grounds: '保密期限已满',
        },
        { actor: securityOfficer },
      )
      .then([lifted]);
    spec([drafted, added(secretItem)])
      .when({
        type: 'ReviewTransferClassification',
        archiveCode: secretItem.archiveCode,
        to: 'PUBLIC',
        grounds: '解密',
      })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('X1: a review that keeps the classification is recorded as kept', () => {
    spec([drafted, added(secretItem)])
      .when(
        {
          type: 'ReviewTransferClassification',
          archiveCode: secretItem.archiveCode,
          to: 'SECRET',
          grounds: '仍需保密',
        },
        { actor: securityOfficer },
      )
      .then([
        {
          type: 'TransferClassificationReviewed',
          data: { ...lifted.data, outcome: 'kept', to: 'SECRET', grounds: '仍需保密' },
        } as TransferEvent,
      ]);
  });

  it('X1: nobody signs while a classified item awaits its review', () => {
    spec([drafted, added(publicItem), added(secretItem)])
      .when(
        { type: 'SignAsTransferor', checks: [clean(publicItem), clean(secretItem)] },
        { actor: archiveHead },
      )
      .thenRefused({ kind: 'rule', code: 'CLASSIFICATION_REVIEW_REQUIRED', rule: 'X1' });
  });

  it('X1: a PUBLIC item needs no review; an empty list cannot be signed', () => {
    spec([drafted, added(publicItem)])
      .when(
        { type: 'SignAsTransferor', opinion: '同意移交', checks: [clean(publicItem)] },
        { actor: archiveHead },
      )
      .then([{ ...ourSignature }]);
    spec([drafted])
      .when({ type: 'SignAsTransferor', checks: [] }, { actor: archiveHead })
      .thenRefused({ kind: 'rule', code: 'TRANSFER_LIST_EMPTY', rule: 'X1' });
  });

  it('X1: both sides sign — ours by the archive department head, theirs recorded by an archivist', () => {
    spec(reviewedList)
      .when(
        { type: 'SignAsTransferor', opinion: '同意移交', checks: checksAfterReview },
        { actor: archiveHead },
      )
      .then([ourSignature]);
    spec([...reviewedList, ourSignature])
      .when({
        type: 'RecordReceiverSignature',
        receiptReference: '沪档接〔2026〕15号',
        signedOn: '2026-03-01',
        checks: checksAfterReview,
      })
      .then([theirSignature]);
    spec(reviewedList)
      .when({ type: 'SignAsTransferor', checks: checksAfterReview }, { actor: archivist })
      .thenRefused({ kind: 'forbidden', code: 'ROLE_REQUIRED' });
  });

  it('X1: the receiver cannot have signed on a day still to come', () => {
    spec(reviewedList)
      .when({
        type: 'RecordReceiverSignature',
        receiptReference: '沪档接〔2026〕15号',
        signedOn: '2026-03-02',
        checks: checksAfterReview,
      })
      .thenRefused({ kind: 'invalid', code: 'SIGNED_ON_IN_FUTURE' });
  });

  it('X1: the first signature freezes the items and the reviews', () => {
    const signed = [...reviewedList, ourSignature];
    const other = item('Z001-WS-2014-Y-BGS-0003', 'PUBLIC');
    spec(signed)
      .when({ type: 'AddTransferItem', item: other, check: clean(other) })
      .thenRefused({ kind: 'rule', code: 'TRANSFER_LIST_SIGNED', rule: 'X1' });
    spec(signed)
      .when({ type: 'RemoveTransferItem', archiveCode: publicItem.archiveCode, reason: '暂缓' })
      .thenRefused({ kind: 'rule', code: 'TRANSFER_LIST_SIGNED', rule: 'X1' });
    spec(signed)
      .when(
        {
          type: 'ReviewTransferClassification',
          archiveCode: secretItem.archiveCode,
          to: 'INTERNAL',
          grounds: '重审',
        },
        { actor: securityOfficer },
      )
      .thenRefused({ kind: 'rule', code: 'TRANSFER_LIST_SIGNED', rule: 'X1' });
  });

  it('X1: completion needs both sides’ signatures', () => {
    spec([...reviewedList, ourSignature])
      .when({ type: 'StartTransferCompletion', checks: checksAfterReview })
      .thenRefused({ kind: 'rule', code: 'SIGNATURES_MISSING', rule: 'X1' });
  });

  it('X1: completion starts once both signed and every item passes its checks again', () => {
    spec([...reviewedList, ourSignature, theirSignature])
      .when({ type: 'StartTransferCompletion', checks: checksAfterReview })
      .then([
        {
          type: 'TransferCompletionStarted',
          data: {
            transferId,
            archiveCodes: [publicItem.archiveCode, secretItem.archiveCode],
            executor: { id: 'wang.fang', roles: ['archivist'], unit: 'ARCHIVE', clearance: 'SECRET' },
          },
        },
      ]);
  });

  it('R6: a hold placed after signing stops the completion', () => {
    const checks: TransferItemCheck[] = [
      clean(publicItem),
      {
        ...clean(afterReview),
        blockers: [{ kind: 'rule', code: 'RECORD_HELD', rule: 'R6', message: 'R6: held' }],
      },
    ];
    spec([...reviewedList, ourSignature, theirSignature])
      .when({ type: 'StartTransferCompletion', checks })
      .thenRefused({ kind: 'rule', code: 'RECORD_HELD', rule: 'R6' });
  });

  it('X1: a classification changed after the review stops the completion', () => {
    spec([...reviewedList, ourSignature, theirSignature])
      .when({ type: 'StartTransferCompletion', checks: [clean(publicItem), clean(secretItem)] })
      .thenRefused({ kind: 'rule', code: 'CLASSIFICATION_CHANGED_SINCE_REVIEW', rule: 'X1' });
  });

  it('A2: a person not cleared for every item cannot carry the list out', () => {
    spec([drafted, added(item('Z001-WS-2014-Y-BGS-0009', 'TOP_SECRET')), ourSignature, theirSignature])
      .when({
        type: 'StartTransferCompletion',
        checks: [clean(item('Z001-WS-2014-Y-BGS-0009', 'TOP_SECRET'))],
      })
      .thenRefused({ kind: 'forbidden', code: 'CLEARANCE_INSUFFICIENT' });
  });

  it('X1: a started completion is started once and completed once', () => {
    const started: TransferEvent = {
      type: 'TransferCompletionStarted',
      data: { transferId, archiveCodes: [publicItem.archiveCode], executor: { ...archivist } },
    };
    const base = [drafted, added(publicItem), ourSignature, theirSignature, started];
    spec(base).when({ type: 'StartTransferCompletion', checks: [] }).then([]);
    const completed: TransferEvent = {
      type: 'TransferCompleted',
      data: { transferId, transferred: [publicItem.archiveCode], withheld: [] },
    };
    spec(base)
      .when({ type: 'FinishTransferCompletion', transferred: [publicItem.archiveCode], withheld: [] })
      .then([completed]);
    spec([...base, completed])
      .when({ type: 'FinishTransferCompletion', transferred: [], withheld: [] })
      .then([]);
    spec([...base, completed])
      .when({ type: 'CancelTransferList', reason: '撤销' } as TransferCommand)
      .thenRefused({ kind: 'conflict', code: 'TRANSFER_COMPLETED', rule: 'X1' });
  });

  it('a list can be cancelled before it is carried out, and then accepts nothing', () => {
    const cancelled: TransferEvent = {
      type: 'TransferListCancelled',
      data: { transferId, reason: '接收单位调整范围', cancelledBy: { id: 'wang.fang', unit: 'ARCHIVE' } },
    };
    spec([drafted, added(publicItem)])
      .when({ type: 'CancelTransferList', reason: '接收单位调整范围' })
      .then([cancelled]);
    spec([drafted, cancelled])
      .when({ type: 'AddTransferItem', item: publicItem, check: clean(publicItem) })
      .thenRefused({ kind: 'conflict', code: 'TRANSFER_CANCELLED' });
  });
});
