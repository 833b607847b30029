import {
  DEFAULT_LOAN_APPROVAL_POLICY,
  evaluateLoanPolicy,
  type LoanFacts,
  type PolicyDecision,
} from './loan-approval.policy';

/** A staff member of SALES asking for an INTERNAL record of the office (BGS), not a client record. */
const facts = (overrides: Partial<LoanFacts> = {}): LoanFacts => ({
  mode: 'reading_room',
  classification: 'INTERNAL',
  borrowerType: 'staff',
  totalDays: 1,
  borrowerUnit: 'SALES',
  recordUnit: 'BGS',
  clientRecord: false,
  excerpts: false,
  ...overrides,
});
const decide = (overrides: Partial<LoanFacts> = {}): PolicyDecision =>
  evaluateLoanPolicy(DEFAULT_LOAN_APPROVAL_POLICY, facts(overrides));
const approvals = (
  ...requirements: { role: string; unit?: string; because: string[] }[]
): PolicyDecision => ({
  outcome: 'approvals',
  requirements,
});

const archiveHead = { role: 'archive_department_head', because: ['B4.lend-out'] };

describe('the default loan approval policy (version 1)', () => {
  it('is version 1, with a 7-day default lend-out period and 90 days in all at most', () => {
    expect(DEFAULT_LOAN_APPROVAL_POLICY).toMatchObject({
      version: 1,
      defaultDays: { reading_room: 1, lend_out: 7, copy: 1 },
      maxTotalDays: 90,
    });
  });

  describe('B4', () => {
    it.each(['PUBLIC', 'INTERNAL'] as const)(
      'B4: reading-room consultation of a PUBLIC or INTERNAL record needs only registration (%s)',
      (classification) => {
        expect(decide({ mode: 'reading_room', classification })).toEqual(approvals());
      },
    );

    it('B4: lending out needs the archive department head', () => {
      expect(decide({ mode: 'lend_out', totalDays: 2 })).toEqual(approvals(archiveHead));
    });

    it("B4: a lend-out over 2 days needs the borrower's department head too", () => {
      expect(decide({ mode: 'lend_out', totalDays: 3 })).toEqual(
        approvals(archiveHead, {
          role: 'department_head',
          unit: 'SALES',
          because: ['B4.lend-out-over-2-days'],
        }),
      );
    });

    it('B4: the default 7-day lend-out needs both heads', () => {
      const days = DEFAULT_LOAN_APPROVAL_POLICY.defaultDays.lend_out;
      expect(decide({ mode: 'lend_out', totalDays: days })).toEqual(
        approvals(archiveHead, {
          role: 'department_head',
          unit: 'SALES',
          because: ['B4.lend-out-over-2-days'],
        }),
      );
    });

    it('B4: up to 30 days in all needs nothing more', () => {
      expect(decide({ mode: 'lend_out', totalDays: 30 })).toEqual(
        approvals(archiveHead, {
          role: 'department_head',
          unit: 'SALES',
          because: ['B4.lend-out-over-2-days'],
        }),
      );
    });

    it('B4: more than 30 days in all needs the deputy GM', () => {
      expect(decide({ mode: 'lend_out', totalDays: 31 })).toEqual(
        approvals(
          archiveHead,
          { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days'] },
          { role: 'deputy_gm', because: ['B4.long-term'] },
        ),
      );
    });

    it.each(['PUBLIC', 'INTERNAL'] as const)(
      'B4: copying a PUBLIC or INTERNAL record needs the archive department head (%s; the BRIEF is silent, docs/approval-policy.md)',
      (classification) => {
        expect(decide({ mode: 'copy', classification })).toEqual(
          approvals({ role: 'archive_department_head', because: ['B4.copy'] }),
        );
      },
    );
  });

  describe('B5', () => {
    it.each(['SECRET', 'CONFIDENTIAL'] as const)(
      'B5: consulting a %s record, even in the reading room, needs the deputy GM',
      (classification) => {
        expect(decide({ mode: 'reading_room', classification })).toEqual(
          approvals({ role: 'deputy_gm', because: ['B5.classified-reading-room'] }),
        );
      },
    );

    it.each(['SECRET', 'CONFIDENTIAL'] as const)(
      'B5: copying a %s record needs the deputy GM',
      (classification) => {
        expect(decide({ mode: 'copy', classification })).toEqual(
          approvals({ role: 'deputy_gm', because: ['B5.classified-copy'] }),
        );
      },
    );

    it.each(['SECRET', 'CONFIDENTIAL'] as const)(
      'B5: lending out a %s record needs the general manager, on top of the B4 approvals',
      (classification) => {
        expect(decide({ mode: 'lend_out', classification, totalDays: 2 })).toEqual(
          approvals(archiveHead, { role: 'general_manager', because: ['B5.classified-lend-out'] }),
        );
      },
    );

    it("B5: a TOP_SECRET record is consulted in the reading room only, with the general manager's approval", () => {
      expect(decide({ mode: 'reading_room', classification: 'TOP_SECRET' })).toEqual(
        approvals({ role: 'general_manager', because: ['B5.top-secret-reading-room'] }),
      );
    });

    it.each(['lend_out', 'copy'] as const)(
      'B5: a TOP_SECRET record is never lent out, never copied (%s)',
      (mode) => {
        expect(decide({ mode, classification: 'TOP_SECRET' })).toEqual({
          outcome: 'refused',
          rule: 'B5',
          code: 'TOP_SECRET_READING_ROOM_ONLY',
          message: expect.stringMatching(/reading room only/),
          policyRule: 'B5.top-secret-never-out',
        });
      },
    );
  });

  describe('B6', () => {
    it("B6: own department client records need its head; another department's need the general manager", () => {
      expect(decide({ clientRecord: true, recordUnit: 'SALES' })).toEqual(
        approvals({ role: 'department_head', unit: 'SALES', because: ['B6.own-client-records'] }),
      );
      expect(decide({ clientRecord: true, recordUnit: 'FIN' })).toEqual(
        approvals({ role: 'general_manager', because: ['B6.other-client-records'] }),
      );
    });

    it('B6: a record that names no counterparty is not a client record', () => {
      expect(decide({ clientRecord: false, recordUnit: 'FIN' })).toEqual(approvals());
    });
  });

  describe('B7', () => {
    const external = { borrowerType: 'external' as const, borrowerUnit: undefined };

    it('B7: external borrowers need the GM and read in the reading room only', () => {
      expect(decide({ ...external, mode: 'reading_room' })).toEqual(
        approvals({ role: 'general_manager', because: ['B7.external'] }),
      );
      for (const mode of ['lend_out', 'copy'] as const) {
        expect(decide({ ...external, mode })).toMatchObject({
          outcome: 'refused',
          rule: 'B7',
          code: 'EXTERNAL_READING_ROOM_ONLY',
          policyRule: 'B7.external-reading-room-only',
        });
      }
    });

    it("B7: the GM's approval also covers excerpts taken out", () => {
      expect(decide({ ...external, excerpts: true })).toEqual(
        approvals({ role: 'general_manager', because: ['B7.external'] }),
      );
    });

    it('B7: an external client-record consultation needs the GM once, not the B6 heads', () => {
      expect(decide({ ...external, clientRecord: true, recordUnit: 'SALES' })).toEqual(
        approvals({ role: 'general_manager', because: ['B7.external'] }),
      );
    });
  });

  describe('requirements are merged when two rules ask the same approver', () => {
    it("B4, B6: a long lend-out of one's own client record asks the department head once, because of both rules", () => {
      expect(decide({ mode: 'lend_out', totalDays: 7, clientRecord: true, recordUnit: 'SALES' })).toEqual(
        approvals(archiveHead, {
          role: 'department_head',
          unit: 'SALES',
          because: ['B4.lend-out-over-2-days', 'B6.own-client-records'],
        }),
      );
    });

    it("B5, B6: lending out another department's SECRET client record asks the general manager once, because of both rules", () => {
      expect(
        decide({
          mode: 'lend_out',
          classification: 'SECRET',
          totalDays: 2,
          clientRecord: true,
          recordUnit: 'FIN',
        }),
      ).toEqual(
        approvals(archiveHead, {
          role: 'general_manager',
          because: ['B5.classified-lend-out', 'B6.other-client-records'],
        }),
      );
    });

    it('keeps department heads of different units apart: the borrower’s head is not the record’s head', () => {
      const policy = {
        ...DEFAULT_LOAN_APPROVAL_POLICY,
        rules: [
          ...DEFAULT_LOAN_APPROVAL_POLICY.rules,
          {
            id: 'X1.record-head',
            rule: 'B6',
            description: 'the record unit head too',
            when: { modes: ['lend_out' as const] },
            require: [{ role: 'department_head', of: 'record_unit' as const }],
          },
        ],
      };
      expect(
        evaluateLoanPolicy(policy, facts({ mode: 'lend_out', totalDays: 3, recordUnit: 'FIN' })),
      ).toEqual(
        approvals(
          archiveHead,
          { role: 'department_head', unit: 'SALES', because: ['B4.lend-out-over-2-days'] },
          { role: 'department_head', unit: 'FIN', because: ['X1.record-head'] },
        ),
      );
    });
  });
});
