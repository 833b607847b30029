import { deciderSpecification } from '../../test/support/decider-specification';
import { actorOf, people } from '../../test/support/people';
import type { Actor } from '../domain-kernel/actor';
import type { RecordEvent } from '../records/record.events';
import { evolveRecord, type RecordState } from '../records/record.state';
import {
  destructionListDecider,
  evolveDestructionList,
  type DestructionList,
  type DestructionListCommand,
} from './destruction-list.decider';
import type { DestructionListEvent } from './destruction-list.events';
import { DEFAULT_DESTRUCTION_SIGNING_POLICY } from './destruction-signing.policy';
import {
  expiredSalesRecord,
  filed,
  permanentSalesRecord,
  released,
} from './destruction.fixtures.spec-helper';

const now = new Date('2026-03-01T09:00:00Z');
const archivist = actorOf(people.archivist);
const spec = deciderSpecification(destructionListDecider, { actor: archivist, now });
const listId = 'XH-20260301-0000000A';

const fold = (events: readonly RecordEvent[]): RecordState =>
  events.reduce(evolveRecord, { status: 'not_filed' } as RecordState);
const r1 = expiredSalesRecord(1);
const r2 = expiredSalesRecord(2, { classification: 'SECRET' });
const releasedState = (m = r1) => fold([filed(m), released(m)]);

/** The signers of the default policy for a SALES list (D3), and a second person for the same unit. */
const signers: Record<string, Actor> = {
  leader_in_charge: actorOf(people.deputyGm),
  office_head: actorOf(people.officeHead),
  archive_department_head: actorOf(people.archiveHead),
  business_department_head: actorOf(people.salesHead),
  archive_clerk: actorOf(people.archivist2),
  business_clerk: actorOf(people.salesClerk),
};
const CAPACITIES = Object.keys(signers);

/** Run commands in order from no stream, each as its actor: the events they produce. */
function history(steps: readonly [DestructionListCommand, Actor?][]): DestructionListEvent[] {
  const events: DestructionListEvent[] = [];
  for (const [command, actor] of steps) {
    const state = events.reduce(
      evolveDestructionList,
      destructionListDecider.initialState() as DestructionList,
    );
    events.push(...destructionListDecider.decide(command, state, { actor: actor ?? archivist, now }));
  }
  return events;
}

const draft: DestructionListCommand = {
  type: 'DraftDestructionList',
  listId,
  title: '2026年第一批到期档案销毁清册',
  businessUnit: 'SALES',
  policy: DEFAULT_DESTRUCTION_SIGNING_POLICY,
};
const add = (m = r1): DestructionListCommand => ({
  type: 'AddDestructionItem',
  archiveCode: m.archiveCode,
  record: releasedState(m),
});
const signAs = (
  capacity: string,
  decision: 'approve' | 'refuse' = 'approve',
): [DestructionListCommand, Actor] => [
  {
    type: 'SignDestructionList',
    decision,
    opinion: decision === 'approve' ? '同意销毁' : '不同意：尚需查考',
  },
  signers[capacity],
];
const check = (codes: string[], actor: Actor): [DestructionListCommand, Actor] => [
  { type: 'RecordWitnessCheck', itemCount: codes.length, archiveCodes: codes },
  actor,
];
const drafted = () => history([[draft], [add()]]);
const approved = () => history([[draft], [add()], ...CAPACITIES.map((c) => signAs(c))]);
const witnessed = () =>
  history([
    [draft],
    [add()],
    ...CAPACITIES.map((c) => signAs(c)),
    check([r1.archiveCode], actorOf(people.archiveWitness)),
    check([r1.archiveCode], actorOf(people.salesWitness)),
  ]);
const start: DestructionListCommand = {
  type: 'StartDestructionExecution',
  records: [{ archiveCode: r1.archiveCode, record: releasedState() }],
};

describe('the destruction list (销毁清册) — D1–D6', () => {
  it('D2: each item carries the D2 columns, read from the record when listed', () => {
    spec(history([[draft]]))
      .when(add())
      .then([
        {
          type: 'DestructionItemAdded',
          data: {
            listId,
            item: {
              archiveCode: r1.archiveCode,
              documentNumber: r1.documentNumber as string,
              responsibleParty: r1.responsibleParty,
              title: r1.title,
              dateFormed: '2010-03-15',
              retentionClass: 'D10',
              yearsKept: 15,
              classification: 'INTERNAL',
              appraisalId: 'AP1',
            },
            addedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          },
        },
      ]);
  });

  it('D1: a PERMANENT, unappraised, held or on-loan record cannot be listed', () => {
    const base = history([[draft]]);
    spec(base)
      .when({
        type: 'AddDestructionItem',
        archiveCode: permanentSalesRecord.archiveCode,
        record: fold([filed(permanentSalesRecord)]),
      })
      .thenRefused({ rule: 'D1', code: 'PERMANENT_NEVER_DESTROYED' });
    spec(base)
      .when({ type: 'AddDestructionItem', archiveCode: r1.archiveCode, record: fold([filed(r1)]) })
      .thenRefused({ rule: 'D1', code: 'NOT_APPRAISED' });
    const held = fold([
      filed(r1),
      released(r1),
      {
        type: 'HoldPlaced',
        data: { holdId: 'H1', kind: 'audit', reason: '审计', placedBy: { id: 'lin.shen', unit: 'AUDIT' } },
      },
    ]);
    spec(base)
      .when({ type: 'AddDestructionItem', archiveCode: r1.archiveCode, record: held })
      .thenRefused({ rule: 'D1', code: 'RECORD_UNDER_HOLD' });
  });

  it('D1: a record nobody filed, or one above the archivist’s clearance, is not found (A2)', () => {
    spec(history([[draft]]))
      .when({ type: 'AddDestructionItem', archiveCode: r1.archiveCode, record: { status: 'not_filed' } })
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
    const topSecret = expiredSalesRecord(3, { classification: 'TOP_SECRET' });
    spec(history([[draft]]))
      .when(add(topSecret))
      .thenRefused({ kind: 'not_found', code: 'RECORD_NOT_FOUND' });
  });

  it('D3: a list holds one business department’s records', () => {
    const other = expiredSalesRecord(4, { archiveCode: 'Z001-WS-2010-D10-FIN-0004' });
    spec(history([[draft]]))
      .when(add(other))
      .thenRefused({ rule: 'D3', code: 'ITEM_OF_ANOTHER_UNIT' });
  });

  it('D4: items are added and removed while unsigned; not once the first signature is on', () => {
    spec(drafted())
      .when({ type: 'RemoveDestructionItem', archiveCode: r1.archiveCode, reason: '暂缓' })
      .then([
        {
          type: 'DestructionItemRemoved',
          data: {
            listId,
            archiveCode: r1.archiveCode,
            reason: '暂缓',
            removedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
          },
        },
      ]);
    const signed = history([[draft], [add()], signAs('office_head')]);
    spec(signed)
      .when(add(expiredSalesRecord(2)))
      .thenRefused({ kind: 'conflict', rule: 'D4', code: 'DESTRUCTION_LIST_SIGNED' });
    spec(signed)
      .when({ type: 'RemoveDestructionItem', archiveCode: r1.archiveCode, reason: '暂缓' })
      .thenRefused({ kind: 'conflict', rule: 'D4', code: 'DESTRUCTION_LIST_SIGNED' });
  });

  it('D3: each capacity signs with its opinion; the sixth signature approves the list', () => {
    const five = history([[draft], [add()], ...CAPACITIES.slice(0, 5).map((c) => signAs(c))]);
    const events = destructionListDecider.decide(
      signAs('business_clerk')[0],
      five.reduce(evolveDestructionList, { status: 'none' } as DestructionList),
      { actor: signers.business_clerk, now },
    );
    expect(events.map((e) => e.type)).toEqual(['DestructionListSigned', 'DestructionListApproved']);
    expect(events[0].data).toMatchObject({
      signature: {
        capacity: 'business_clerk',
        role: 'destruction_signatory',
        unit: 'SALES',
        signer: { id: 'jiang.tao', unit: 'SALES' },
        opinion: '同意销毁',
      },
      outstanding: 0,
    });
    expect(events[1].data).toMatchObject({ policyVersion: 1 });
    expect((events[1].data as unknown as { signatures: unknown[] }).signatures).toHaveLength(6);
  });

  it('D3: a list with five of six signatures cannot execute', () => {
    const five = history([[draft], [add()], ...CAPACITIES.slice(0, 5).map((c) => signAs(c))]);
    const error = spec(five)
      .when(start)
      .thenRefused({ kind: 'rule', rule: 'D3', code: 'SIGNATURES_MISSING' });
    expect(error.message).toContain('business_clerk');
  });

  it('D3: a signature by someone without the role (or of the wrong unit) is refused', () => {
    spec(drafted())
      .when(
        { type: 'SignDestructionList', decision: 'approve', opinion: '同意' },
        { actor: actorOf(people.financeHead) },
      )
      .thenRefused({ kind: 'forbidden', rule: 'D3', code: 'NOT_A_REQUIRED_SIGNER' });
    spec(drafted())
      .when(
        { type: 'SignDestructionList', capacity: 'leader_in_charge', decision: 'approve', opinion: '同意' },
        { actor: actorOf(people.generalManager) },
      )
      .thenRefused({ kind: 'forbidden', rule: 'D3', code: 'NOT_A_REQUIRED_SIGNER' });
  });

  it('D3: each signer is a distinct person; a capacity signs once', () => {
    const both = { ...signers.office_head, roles: ['department_head', 'deputy_gm'] };
    const signed = history([
      [draft],
      [add()],
      [
        { type: 'SignDestructionList', capacity: 'office_head', decision: 'approve', opinion: '同意销毁' },
        both,
      ],
    ]);
    spec(signed)
      .when(
        { type: 'SignDestructionList', capacity: 'leader_in_charge', decision: 'approve', opinion: '同意' },
        { actor: both },
      )
      .thenRefused({ rule: 'D3', code: 'SIGNER_NOT_DISTINCT' });
    spec(history([[draft], [add()], signAs('office_head')]))
      .when(
        { type: 'SignDestructionList', capacity: 'office_head', decision: 'approve', opinion: '同意' },
        { actor: signers.office_head },
      )
      .thenRefused({ kind: 'conflict', code: 'CAPACITY_ALREADY_SIGNED' });
  });

  it('D3: one refusal closes the list', () => {
    const refused = history([
      [draft],
      [add()],
      signAs('office_head'),
      signAs('business_department_head', 'refuse'),
    ]);
    expect(refused[refused.length - 1]).toMatchObject({
      type: 'DestructionListRefused',
      data: { signature: { capacity: 'business_department_head', opinion: '不同意：尚需查考' } },
    });
    spec(refused)
      .when(signAs('leader_in_charge')[0], { actor: signers.leader_in_charge })
      .thenRefused({ code: 'DESTRUCTION_LIST_CLOSED' });
    spec(refused).when(start).thenRefused({ code: 'DESTRUCTION_LIST_CLOSED' });
  });

  it('D3: the list keeps the signing policy it was drafted under', () => {
    const policy = {
      ...DEFAULT_DESTRUCTION_SIGNING_POLICY,
      version: 2,
      signatures: DEFAULT_DESTRUCTION_SIGNING_POLICY.signatures.slice(0, 2),
    };
    const two = history([[{ ...draft, policy }], [add()], signAs('leader_in_charge'), signAs('office_head')]);
    expect(two.map((e) => e.type).slice(-1)).toEqual(['DestructionListApproved']);
    expect(two[two.length - 1].data).toMatchObject({ policyVersion: 2 });
  });

  it('D5: witnesses from the archives and the business department check count and codes; discrepancies are recorded', () => {
    const events = destructionListDecider.decide(
      { type: 'RecordWitnessCheck', itemCount: 2, archiveCodes: ['Z001-WS-2010-D10-SALES-0009'] },
      approved().reduce(evolveDestructionList, { status: 'none' } as DestructionList),
      { actor: actorOf(people.salesWitness), now },
    );
    expect(events[0]).toMatchObject({
      type: 'WitnessCheckRecorded',
      data: {
        check: {
          capacity: 'business',
          witness: { id: 'deng.hui', unit: 'SALES' },
          matched: false,
          discrepancies: [
            'counted 2 item(s); the list has 1',
            `missing: ${r1.archiveCode}`,
            'not on the list: Z001-WS-2010-D10-SALES-0009',
          ],
        },
      },
    });
  });

  it('D5: two witnesses from the same unit are refused', () => {
    spec(
      history([
        [draft],
        [add()],
        ...CAPACITIES.map((c) => signAs(c)),
        check([r1.archiveCode], actorOf(people.archiveWitness)),
      ]),
    )
      .when(check([r1.archiveCode], actorOf(people.archiveWitness2))[0], {
        actor: actorOf(people.archiveWitness2),
      })
      .thenRefused({ kind: 'rule', rule: 'D5', code: 'WITNESS_UNIT_TAKEN' });
  });

  it('D5: a witness from neither the archives nor the business department is refused', () => {
    spec(approved())
      .when(check([r1.archiveCode], archivist)[0], {
        actor: { ...actorOf(people.archiveWitness), unit: 'FIN' },
      })
      .thenRefused({ rule: 'D5', code: 'WITNESS_UNIT' });
  });

  it('D5: execution needs both witnesses’ matching checks', () => {
    const one = history([
      [draft],
      [add()],
      ...CAPACITIES.map((c) => signAs(c)),
      check([r1.archiveCode], actorOf(people.archiveWitness)),
    ]);
    spec(one).when(start).thenRefused({ rule: 'D5', code: 'WITNESSES_MISSING' });
    const wrong = history([
      [draft],
      [add()],
      ...CAPACITIES.map((c) => signAs(c)),
      check([r1.archiveCode], actorOf(people.archiveWitness)),
      check([], actorOf(people.salesWitness)),
    ]);
    spec(wrong).when(start).thenRefused({ rule: 'D5', code: 'WITNESS_CHECK_DISCREPANCY' });
  });

  it('D5: a list with a classified record also needs the security officer', () => {
    const classified = history([
      [draft],
      [add()],
      [add(r2)],
      ...CAPACITIES.map((c) => signAs(c)),
      check([r1.archiveCode, r2.archiveCode], actorOf(people.archiveWitness)),
      check([r1.archiveCode, r2.archiveCode], actorOf(people.salesWitness)),
    ]);
    const both = {
      type: 'StartDestructionExecution' as const,
      records: [
        { archiveCode: r1.archiveCode, record: releasedState(r1) },
        { archiveCode: r2.archiveCode, record: releasedState(r2) },
      ],
    };
    const error = spec(classified).when(both).thenRefused({ rule: 'D5', code: 'WITNESSES_MISSING' });
    expect(error.message).toContain('security officer');
    const withOfficer = [
      ...classified,
      ...destructionListDecider.decide(
        check([r1.archiveCode, r2.archiveCode], archivist)[0],
        classified.reduce(evolveDestructionList, { status: 'none' } as DestructionList),
        { actor: actorOf(people.securityOfficer), now },
      ),
    ];
    expect(withOfficer[withOfficer.length - 1].data).toMatchObject({
      check: { capacity: 'security', matched: true },
    });
    const started = destructionListDecider.decide(
      both,
      withOfficer.reduce(evolveDestructionList, { status: 'none' } as DestructionList),
      {
        actor: archivist,
        now,
      },
    );
    expect(started.map((e) => e.type)).toEqual(['DestructionExecutionStarted']);
  });

  it('D6: execution starts once signed and witnessed, recording who executes and the day', () => {
    spec(witnessed())
      .when(start)
      .then([
        {
          type: 'DestructionExecutionStarted',
          data: {
            listId,
            destroyedOn: '2026-03-01',
            executedBy: { id: 'wang.fang', unit: 'ARCHIVE', roles: ['archivist'], clearance: 'SECRET' },
            archiveCodes: [r1.archiveCode],
          },
        },
      ]);
  });

  it('D1: a hold placed after listing stops the execution, naming the rule', () => {
    const held = fold([
      filed(r1),
      released(r1),
      {
        type: 'HoldPlaced',
        data: { holdId: 'H1', kind: 'legal', reason: '涉诉', placedBy: { id: 'xu.he', unit: 'LEGAL' } },
      },
    ]);
    const error = spec(witnessed())
      .when({ type: 'StartDestructionExecution', records: [{ archiveCode: r1.archiveCode, record: held }] })
      .thenRefused({ kind: 'rule', rule: 'D1', code: 'RECORD_UNDER_HOLD' });
    expect(error.message).toContain(r1.archiveCode);
  });

  it('D5: witnesses sign after the destruction; the last signature completes the list', () => {
    const executed = witnessed();
    const started = destructionListDecider.decide(
      start,
      executed.reduce(evolveDestructionList, { status: 'none' } as DestructionList),
      {
        actor: archivist,
        now,
      },
    );
    const afterStart = [...executed, ...started];
    spec(afterStart)
      .when({ type: 'SignAsWitness' }, { actor: actorOf(people.archiveWitness) })
      .thenRefused({ rule: 'D5', code: 'NOT_YET_DESTROYED' });
    const done = [
      ...afterStart,
      ...destructionListDecider.decide(
        { type: 'CompleteDestructionExecution' },
        afterStart.reduce(evolveDestructionList, { status: 'none' } as DestructionList),
        { actor: archivist, now },
      ),
    ];
    expect(done[done.length - 1]).toMatchObject({
      type: 'DestructionExecuted',
      data: { destroyed: [r1.archiveCode], withheld: [], destroyedOn: '2026-03-01' },
    });
    spec(done)
      .when({ type: 'SignAsWitness' }, { actor: actorOf(people.archiveWitness2) })
      .thenRefused({ kind: 'forbidden', rule: 'D5', code: 'NOT_A_WITNESS' });
    const first = destructionListDecider.decide(
      { type: 'SignAsWitness', remark: '已监督销毁' },
      done.reduce(evolveDestructionList, { status: 'none' } as DestructionList),
      { actor: actorOf(people.archiveWitness), now },
    );
    expect(first.map((e) => e.type)).toEqual(['DestructionWitnessSigned']);
    spec([...done, ...first])
      .when({ type: 'SignAsWitness' }, { actor: actorOf(people.salesWitness) })
      .then([
        {
          type: 'DestructionWitnessSigned',
          data: { listId, capacity: 'business', witness: { id: 'deng.hui', unit: 'SALES' } },
        },
        { type: 'DestructionListCompleted', data: { listId } },
      ]);
  });
});
