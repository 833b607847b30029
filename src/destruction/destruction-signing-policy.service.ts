import { Inject, Injectable } from '@nestjs/common';
import { CommandShell, type CommandContext, type CommandOutcome } from '../command-shell/command-shell';
import { EVENT_STORE, type EventStore } from '../event-store/event-store.port';
import { readVerifiedStream } from '../event-store/read-verified-stream';
import {
  destructionSigningPolicyDecider,
  destructionSigningPolicyStream,
  type AdoptDestructionSigningPolicy,
  type DestructionSigningPolicyEvent,
} from './destruction-signing-policy.decider';
import type { DestructionSigningPolicy } from './destruction-signing.policy';

/**
 * The destruction signing policy in force (D3): the last one adopted in stream
 * `policy-destruction-signing`, or the shipped default (version 1) while none has been.
 */
@Injectable()
export class DestructionSigningPolicyService {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CommandShell) private readonly shell: CommandShell,
  ) {}

  async current(): Promise<DestructionSigningPolicy> {
    const history = await readVerifiedStream(this.store, destructionSigningPolicyStream());
    return history.reduce(
      (state, event) =>
        destructionSigningPolicyDecider.evolve(state, event as unknown as DestructionSigningPolicyEvent),
      destructionSigningPolicyDecider.initialState(),
    );
  }

  adopt(
    command: Omit<AdoptDestructionSigningPolicy, 'type'>,
    context: CommandContext,
  ): Promise<CommandOutcome<DestructionSigningPolicyEvent>> {
    return this.shell.execute({
      decider: destructionSigningPolicyDecider,
      stream: destructionSigningPolicyStream(),
      commandType: 'AdoptDestructionSigningPolicy',
      command: { type: 'AdoptDestructionSigningPolicy', ...command },
      context: { ...context, reason: command.reason },
    });
  }
}
