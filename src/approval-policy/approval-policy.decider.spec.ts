import { ROLES } from '../auth/roles';
import { deciderSpecification } from '../../test/support/decider-specification';
import { actorOf, people } from '../../test/support/people';
import { approvalPolicyDecider, type AdoptLoanApprovalPolicy } from './approval-policy.decider';
import type { ApprovalPolicyEvent } from './approval-policy.events';
import {
  DEFAULT_LOAN_APPROVAL_POLICY,
  type LoanApprovalPolicy,
  type LoanApprovalPolicyDraft,
} from './loan-approval.policy';

const decider = approvalPolicyDecider(ROLES);
const spec = deciderSpecification(decider, {
  actor: actorOf(people.administrator),
  now: new Date('2026-03-01T09:00:00Z'),
});

const { version: _v1, ...defaultDraft } = DEFAULT_LOAN_APPROVAL_POLICY;

/** A copy of `base` changed by `change`; the validation cases deliberately break the policy's types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
function draftWith(base: LoanApprovalPolicyDraft, change: (draft: any) => void): LoanApprovalPolicyDraft {
  const draft = structuredClone(base);
  change(draft);
  return draft;
}

/** The default policy with at most 60 days in all, and lend-outs over 3 (not 2) days needing the borrower's head. */
const revisedDraft = (): LoanApprovalPolicyDraft =>
  draftWith(defaultDraft, (d) => {
    d.maxTotalDays = 60;
    d.rules[1].when.longerThanDays = 3;
  });

const adopt = (overrides: Partial<Omit<AdoptLoanApprovalPolicy, 'type'>> = {}): AdoptLoanApprovalPolicy => ({
  type: 'AdoptLoanApprovalPolicy',
  basedOnVersion: 1,
  policy: revisedDraft(),
  reason: '2026年借阅制度修订',
  ...overrides,
});

const adopted = (version: number, policy: LoanApprovalPolicyDraft = revisedDraft()): ApprovalPolicyEvent => ({
  type: 'LoanApprovalPolicyAdopted',
  data: {
    version,
    policy: { version, ...policy } as LoanApprovalPolicy,
    reason: '2026年借阅制度修订',
    adoptedBy: { id: 'admin.ops', unit: 'IT' },
  },
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- the cases deliberately break the policy's types
const broken = (change: (draft: any) => void) => draftWith(revisedDraft(), change);

describe('approval policy decider', () => {
  it('starts from the shipped default, version 1', () => {
    expect(decider.initialState()).toBe(DEFAULT_LOAN_APPROVAL_POLICY);
  });

  it('B3: an administrator adopts version 2 over the default, recording the whole policy, the reason and who', () => {
    spec([])
      .when(adopt())
      .then([adopted(2)]);
  });

  it('B3: each adoption takes the next version, and the adopted policy is the state it is based on', () => {
    spec([adopted(2)])
      .when(adopt({ basedOnVersion: 2, policy: defaultDraft }))
      .then([adopted(3, defaultDraft)]);
    const state = [adopted(2)].reduce(decider.evolve, decider.initialState());
    expect(state).toEqual({ version: 2, ...revisedDraft() });
  });

  it('stores only the fields a policy has: conditions and units left out stay out', () => {
    const draft = broken((d) => {
      d.rules[0].require = [{ role: 'archive_department_head', of: undefined }];
      d.rules[0].when = { modes: ['lend_out'], ownUnit: undefined };
    });
    const [event] = decider.decide(adopt({ policy: draft }), decider.initialState(), {
      actor: actorOf(people.administrator),
      now: new Date('2026-03-01T09:00:00Z'),
    });
    const rule = event.data.policy.rules[0];
    expect(Object.keys(rule.when)).toEqual(['modes']);
    expect(Object.keys(rule.require![0])).toEqual(['role']);
    expect(Object.keys(rule)).toEqual(['id', 'rule', 'description', 'when', 'require']);
  });

  it('refuses a policy based on a version that is no longer in force, with 409 POLICY_VERSION_MOVED', () => {
    const error = spec([adopted(2)])
      .when(adopt({ basedOnVersion: 1 }))
      .thenRefused({ kind: 'conflict', code: 'POLICY_VERSION_MOVED' });
    expect(error.message).toMatch(/version 2/);
  });

  it('refuses a policy based on a version not adopted yet', () => {
    spec([])
      .when(adopt({ basedOnVersion: 2 }))
      .thenRefused({ kind: 'conflict', code: 'POLICY_VERSION_MOVED' });
  });

  it('B3: refuses anyone but an administrator, even past the HTTP edge', () => {
    spec([])
      .when(adopt(), { actor: actorOf(people.generalManager) })
      .thenRefused({ kind: 'forbidden', code: 'ADMINISTRATOR_REQUIRED' });
  });

  describe('refuses an unsound policy with 400 POLICY_INVALID, naming each field', () => {
    it.each<[string, Partial<Omit<AdoptLoanApprovalPolicy, 'type'>>, string, RegExp]>([
      [
        'an approver in an unknown role',
        { policy: broken((d) => (d.rules[2].require[0].role = 'chairman')) },
        'policy.rules[2].require[0].role',
        /known role/,
      ],
      [
        'an approver of an unknown unit',
        { policy: broken((d) => (d.rules[1].require[0].of = 'company')) },
        'policy.rules[1].require[0].of',
        /borrower_unit, record_unit/,
      ],
      [
        "the borrower's department head in a rule that also applies to external borrowers, who have no unit",
        { policy: broken((d) => delete d.rules[1].when.borrowerTypes) },
        'policy.rules[1].require[0].of',
        /limited to staff borrowers/,
      ],
      [
        'two rules with one id',
        { policy: broken((d) => (d.rules[3].id = 'B4.lend-out')) },
        'policy.rules[3].id',
        /unique; rules\[0\]/,
      ],
      ['a blank rule id', { policy: broken((d) => (d.rules[0].id = ' ')) }, 'policy.rules[0].id', /letters/],
      [
        'a rule that both requires and refuses',
        { policy: broken((d) => (d.rules[0].refuse = { code: 'NO', message: '不予借出' })) },
        'policy.rules[0]',
        /exactly one of require or refuse/,
      ],
      [
        'a rule that neither requires nor refuses',
        { policy: broken((d) => delete d.rules[0].require) },
        'policy.rules[0]',
        /exactly one of require/,
      ],
      [
        'a rule requiring nobody',
        { policy: broken((d) => (d.rules[0].require = [])) },
        'policy.rules[0].require',
        /at least one approver/,
      ],
      [
        'a refusal code not in capitals',
        { policy: broken((d) => (d.rules[8].refuse.code = 'top-secret')) },
        'policy.rules[8].refuse.code',
        /capitals/,
      ],
      [
        'a refusal without a message',
        { policy: broken((d) => (d.rules[8].refuse.message = '')) },
        'policy.rules[8].refuse.message',
        /blank/,
      ],
      [
        'a BRIEF rule that is not like B4',
        { policy: broken((d) => (d.rules[0].rule = 'B4.1')) },
        'policy.rules[0].rule',
        /such as B4/,
      ],
      [
        'a blank description',
        { policy: broken((d) => (d.rules[0].description = '  ')) },
        'policy.rules[0].description',
        /blank/,
      ],
      [
        'an unknown loan mode',
        { policy: broken((d) => (d.rules[0].when.modes = ['borrow'])) },
        'policy.rules[0].when.modes[0]',
        /reading_room, lend_out, copy/,
      ],
      [
        'an empty list of modes, which would never hold',
        { policy: broken((d) => (d.rules[0].when.modes = [])) },
        'policy.rules[0].when.modes',
        /at least one/,
      ],
      [
        'an unknown classification',
        { policy: broken((d) => (d.rules[4].when.classifications = ['SECRET', 'RESTRICTED'])) },
        'policy.rules[4].when.classifications[1]',
        /PUBLIC, INTERNAL, SECRET, CONFIDENTIAL, TOP_SECRET/,
      ],
      [
        'a classification listed twice',
        { policy: broken((d) => (d.rules[4].when.classifications = ['SECRET', 'SECRET'])) },
        'policy.rules[4].when.classifications[1]',
        /twice/,
      ],
      [
        'an unknown borrower type',
        { policy: broken((d) => (d.rules[3].when.borrowerTypes = ['visitor'])) },
        'policy.rules[3].when.borrowerTypes[0]',
        /staff, external/,
      ],
      [
        'a negative longerThanDays',
        { policy: broken((d) => (d.rules[1].when.longerThanDays = -1)) },
        'policy.rules[1].when.longerThanDays',
        /0 or more/,
      ],
      [
        'a fractional longerThanDays',
        { policy: broken((d) => (d.rules[1].when.longerThanDays = 2.5)) },
        'policy.rules[1].when.longerThanDays',
        /whole number/,
      ],
      [
        'a default period of 0 days',
        { policy: broken((d) => (d.defaultDays.copy = 0)) },
        'policy.defaultDays.copy',
        /positive whole number/,
      ],
      [
        'a missing default period',
        { policy: broken((d) => delete d.defaultDays.reading_room) },
        'policy.defaultDays.reading_room',
        /positive whole number/,
      ],
      [
        'a maximum shorter than a default period',
        { policy: broken((d) => (d.maxTotalDays = 5)) },
        'policy.maxTotalDays',
        /at least every default period \(lend_out: 7\)/,
      ],
      [
        'a fractional maximum',
        { policy: broken((d) => (d.maxTotalDays = 30.5)) },
        'policy.maxTotalDays',
        /whole number/,
      ],
      ['a blank reason', { reason: '   ' }, 'reason', /blank/],
      ['a version that cannot be', { basedOnVersion: 0 }, 'basedOnVersion', /1 or more/],
    ])('%s', (_case, overrides, field, problem) => {
      const error = spec([]).when(adopt(overrides)).thenRefused({ kind: 'invalid', code: 'POLICY_INVALID' });
      expect(error.details.fields).toEqual([{ field, problems: [expect.stringMatching(problem)] }]);
    });

    it('lists every problem at once', () => {
      const error = spec([])
        .when(
          adopt({
            reason: '',
            policy: broken((d) => {
              d.rules[2].require[0].role = 'chairman';
              d.rules[5].id = d.rules[4].id;
              d.defaultDays.lend_out = 0;
            }),
          }),
        )
        .thenRefused({ kind: 'invalid', code: 'POLICY_INVALID' });
      expect(error.details.fields!.map((f) => f.field)).toEqual([
        'reason',
        'policy.defaultDays.lend_out',
        'policy.rules[2].require[0].role',
        'policy.rules[5].id',
      ]);
    });

    it('checks the policy before the version, so a stale unsound policy is told what is wrong with it', () => {
      spec([adopted(2)])
        .when(adopt({ basedOnVersion: 1, policy: broken((d) => (d.rules[0].require = [])) }))
        .thenRefused({ kind: 'invalid', code: 'POLICY_INVALID' });
    });
  });
});
