import type { CommandOutcome } from '../command-shell/command-shell';
import type { DomainEvent } from '../domain-kernel/decider';

/** The body every successful command answers with. */
export function commandAccepted(outcome: CommandOutcome<DomainEvent>) {
  return {
    stream: outcome.stream,
    revision: outcome.revision,
    position: outcome.position ?? null,
    events: outcome.events.map((e) => e.type),
    replayed: outcome.replayed,
  };
}
