import type { Actor } from '../../src/domain-kernel/actor';
import type { DecisionContext, Decider, DomainEvent } from '../../src/domain-kernel/decider';
import { DomainError, type DomainErrorKind } from '../../src/domain-kernel/domain-error';

/** What a refusal is expected to carry; any subset of these is checked. */
export interface ExpectedRefusal {
  readonly kind?: DomainErrorKind;
  readonly code?: string;
  readonly rule?: string;
}

/**
 * Given/when/then for deciders (after Emmett's DeciderSpecification):
 *
 *   spec([archiveFiled]).when(borrow).then([borrowed])
 *   spec([archiveFiled, borrowed]).when(borrowAgain).thenRefused({ rule: 'B2', code: 'RECORD_ON_LOAN' })
 *
 * `given` events are folded with `evolve` from the initial state; `when` runs `decide` with the
 * acting identity and time of the context.
 */
export function deciderSpecification<Command, Event extends DomainEvent, State>(
  decider: Decider<Command, Event, State>,
  context: DecisionContext,
) {
  return (given: readonly Event[] = []) => ({
    when: (command: Command, overrides: { actor?: Actor; now?: Date } = {}) => {
      const decide = () => {
        const state = given.reduce(decider.evolve, decider.initialState());
        return decider.decide(command, state, { ...context, ...overrides });
      };
      return {
        then(expected: readonly Event[]): void {
          expect(decide()).toEqual(expected);
        },
        thenRefused(expected: ExpectedRefusal): DomainError {
          let thrown: unknown;
          try {
            decide();
          } catch (error) {
            thrown = error;
          }
          expect(thrown).toBeInstanceOf(DomainError);
          const error = thrown as DomainError;
          expect({ kind: error.kind, code: error.code, rule: error.details.rule }).toMatchObject(expected);
          return error;
        },
      };
    },
  });
}
