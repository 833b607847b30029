import { Inject, Injectable } from '@nestjs/common';
import { ROLES } from '../auth/roles';
import { CommandShell, type CommandContext, type CommandOutcome } from '../command-shell/command-shell';
import { notFound } from '../domain-kernel/domain-error';
import { readVerifiedStream } from '../event-store/read-verified-stream';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import {
  approvalPolicyDecider,
  evolveApprovalPolicy,
  initialApprovalPolicyState,
  type AdoptLoanApprovalPolicy,
} from './approval-policy.decider';
import type { ApprovalPolicyEvent, LoanApprovalPolicyAdopted } from './approval-policy.events';
import { loanApprovalPolicyStream } from './approval-policy.stream';
import { DEFAULT_LOAN_APPROVAL_POLICY, type LoanApprovalPolicy } from './loan-approval.policy';

/** Who adopted a policy version, when and why; `null` for version 1, the shipped default. */
export interface PolicyAdoption {
  readonly reason: string;
  readonly adoptedBy: { readonly id: string; readonly unit: string };
  /** When it was adopted as the administrator states it (ISO 8601). */
  readonly occurredAt: string;
  /** When the store recorded it (ISO 8601). */
  readonly recordedAt: string;
}

export interface PolicyVersion {
  readonly policy: LoanApprovalPolicy;
  readonly adoption: PolicyAdoption | null;
}

/**
 * The loan approval policy in force: the last one adopted in stream `policy-loan-approval`, or
 * the shipped default (version 1) while none has been. Adoption runs through the command shell.
 */
@Injectable()
export class LoanApprovalPolicyService {
  private readonly decider = approvalPolicyDecider(ROLES);

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommandShell) private readonly shell: CommandShell,
  ) {}

  /** The policy every new loan and renewal is decided under. */
  async current(): Promise<LoanApprovalPolicy> {
    const history = await readVerifiedStream(this.store, loanApprovalPolicyStream());
    return history.reduce(
      (state, event) => evolveApprovalPolicy(state, event as unknown as ApprovalPolicyEvent),
      initialApprovalPolicyState(),
    );
  }

  /** One version as adopted (404 POLICY_VERSION_NOT_FOUND when there is no such version). */
  async version(version: number): Promise<PolicyVersion> {
    if (version === DEFAULT_LOAN_APPROVAL_POLICY.version) {
      return { policy: DEFAULT_LOAN_APPROVAL_POLICY, adoption: null };
    }
    const adopted = (await readVerifiedStream(this.store, loanApprovalPolicyStream())).find(
      (e) => e.type === 'LoanApprovalPolicyAdopted' && e.data.version === version,
    );
    if (!adopted) {
      throw notFound('POLICY_VERSION_NOT_FOUND', `The loan approval policy has no version ${version}`);
    }
    const { data } = adopted as unknown as LoanApprovalPolicyAdopted;
    return {
      policy: data.policy,
      adoption: {
        reason: data.reason,
        adoptedBy: data.adoptedBy,
        occurredAt: adopted.metadata.occurredAt,
        recordedAt: adopted.metadata.recordedAt,
      },
    };
  }

  /** Adopt a new policy (B3): an administrator, based on the version in force. */
  adopt(
    command: Omit<AdoptLoanApprovalPolicy, 'type'>,
    context: CommandContext,
  ): Promise<CommandOutcome<ApprovalPolicyEvent>> {
    return this.shell.execute({
      decider: this.decider,
      stream: loanApprovalPolicyStream(),
      commandType: 'AdoptLoanApprovalPolicy',
      command: { type: 'AdoptLoanApprovalPolicy', ...command },
      context: { ...context, reason: command.reason },
    });
  }
}
