import type { Actor } from './actor';

/** A domain event as the domain sees it: a stable past-tense type string and plain readonly data. */
export interface DomainEvent<Type extends string = string, Data extends object = object> {
  readonly type: Type;
  readonly data: Data;
}

/** What every decision receives besides the command: who acts, and when (from the injected clock). */
export interface DecisionContext {
  readonly actor: Actor;
  readonly now: Date;
}

/**
 * A decider (Chassaing): pure functions over one stream.
 * `decide` returns the events a command produces, or throws a DomainError; `evolve` folds an event into state.
 */
export interface Decider<Command, Event extends DomainEvent, State> {
  readonly initialState: () => State;
  readonly decide: (command: Command, state: State, context: DecisionContext) => readonly Event[];
  readonly evolve: (state: State, event: Event) => State;
}

/** Use at the end of every switch over a union: the compiler proves no case is missing. */
export function assertNever(value: never): never {
  throw new Error(`Unexpected variant: ${JSON.stringify(value)}`);
}
