import { assertNever, type Decider, type DomainEvent } from '../domain-kernel/decider';

/**
 * Numbers handed out for lists (transfer lists, stock-takes) in one year, from a stream of their
 * own (`numbering-{kind}-{year}`): the shell's optimistic concurrency makes two drafts racing for
 * a number get different ones. A crash between taking a number and using it leaves a gap, never a
 * reuse.
 */
export type ListNumberTaken = DomainEvent<'ListNumberTaken', { readonly number: number }>;

export interface TakeListNumber {
  readonly type: 'TakeListNumber';
}

export const listNumberingDecider: Decider<TakeListNumber, ListNumberTaken, { readonly last: number }> = {
  initialState: () => ({ last: 0 }),
  decide(command, state) {
    switch (command.type) {
      case 'TakeListNumber':
        return [{ type: 'ListNumberTaken', data: { number: state.last + 1 } }];
      default:
        return assertNever(command.type);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case 'ListNumberTaken':
        return { last: Math.max(state.last, event.data.number) };
      default:
        return assertNever(event.type);
    }
  },
};
