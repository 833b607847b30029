import type { Decider, DomainEvent } from '../domain-kernel/decider';
import { assertNever } from '../domain-kernel/decider';
import { conflict, forbidden, invalid, type FieldProblem } from '../domain-kernel/domain-error';
import type { PersonRef } from '../records/record.events';
import {
  DEFAULT_DESTRUCTION_SIGNING_POLICY,
  normaliseDestructionSigningPolicy,
  validateDestructionSigningPolicy,
  type DestructionSigningPolicy,
  type DestructionSigningPolicyDraft,
} from './destruction-signing.policy';

/** Stream of every adopted version of the destruction signing policy (D3). */
export function destructionSigningPolicyStream(): string {
  return 'policy-destruction-signing';
}

/** An administrator adopted a new destruction signing policy: in force for lists drafted from now on. */
export type DestructionSigningPolicyAdopted = DomainEvent<
  'DestructionSigningPolicyAdopted',
  {
    readonly version: number;
    readonly policy: DestructionSigningPolicy;
    readonly reason: string;
    readonly adoptedBy: PersonRef;
  }
>;

export type DestructionSigningPolicyEvent = DestructionSigningPolicyAdopted;

/** Adopt a new policy, based on the version the administrator read (else 409 POLICY_VERSION_MOVED). */
export interface AdoptDestructionSigningPolicy {
  readonly type: 'AdoptDestructionSigningPolicy';
  readonly basedOnVersion: number;
  readonly policy: DestructionSigningPolicyDraft;
  readonly reason: string;
}

export const DESTRUCTION_POLICY_ADOPTER_ROLE = 'administrator';

export const destructionSigningPolicyDecider: Decider<
  AdoptDestructionSigningPolicy,
  DestructionSigningPolicyEvent,
  DestructionSigningPolicy
> = {
  initialState: () => DEFAULT_DESTRUCTION_SIGNING_POLICY,
  evolve(state, event) {
    switch (event.type) {
      case 'DestructionSigningPolicyAdopted':
        return event.data.policy;
      default:
        return assertNever(event.type);
    }
  },
  decide(command, state, { actor }) {
    if (!actor.roles.includes(DESTRUCTION_POLICY_ADOPTER_ROLE)) {
      throw forbidden(
        'ADMINISTRATOR_REQUIRED',
        'D3: only an administrator adopts a destruction signing policy',
      );
    }
    const problems: FieldProblem[] = [];
    if (!Number.isSafeInteger(command.basedOnVersion) || command.basedOnVersion < 1) {
      problems.push({ field: 'basedOnVersion', problems: ['must be a policy version: 1 or more'] });
    }
    if (typeof command.reason !== 'string' || command.reason.trim() === '') {
      problems.push({ field: 'reason', problems: ['must not be blank: say why the policy changes'] });
    }
    for (const problem of validateDestructionSigningPolicy(command.policy)) {
      problems.push({ field: `policy.${problem.field}`, problems: problem.problems });
    }
    if (problems.length > 0) {
      throw invalid(
        'POLICY_INVALID',
        `The destruction signing policy cannot be adopted: ${problems.map((p) => p.field).join(', ')}`,
        problems,
      );
    }
    if (command.basedOnVersion !== state.version) {
      throw conflict(
        'POLICY_VERSION_MOVED',
        `The policy is at version ${state.version}, not ${command.basedOnVersion}: read the current policy, apply your change to it and send basedOnVersion ${state.version}`,
      );
    }
    const version = state.version + 1;
    return [
      {
        type: 'DestructionSigningPolicyAdopted',
        data: {
          version,
          policy: normaliseDestructionSigningPolicy(command.policy, version),
          reason: command.reason,
          adoptedBy: { id: actor.id, unit: actor.unit },
        },
      },
    ];
  },
};
