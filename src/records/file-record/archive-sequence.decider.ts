import { assertNever, type Decider, type DomainEvent } from '../../domain-kernel/decider';
import { ruleBroken } from '../../domain-kernel/domain-error';
import { MAX_SEQUENCE } from '../archive-code';

/** A sequence number was assigned under an archive-code prefix (F2). Numbers are never handed out twice. */
export type ArchiveSequenceAssigned = DomainEvent<
  'ArchiveSequenceAssigned',
  { readonly prefix: string; readonly sequence: number; readonly archiveCode: string }
>;

/** One discriminated union per stream: every event of `archive-sequence-{prefix}`. */
export type ArchiveSequenceEvent = ArchiveSequenceAssigned;

export interface ArchiveSequenceState {
  readonly last: number;
}

/**
 * Take the next sequence number for a prefix. `firstFree` is the lowest number at or above the
 * stream's last one whose record stream does not exist yet (codes filed with an explicit
 * sequence are skipped); the caller probes the store for it.
 */
export interface AssignSequence {
  readonly type: 'AssignSequence';
  readonly prefix: string;
  readonly firstFree: number;
}

export const archiveSequenceDecider: Decider<AssignSequence, ArchiveSequenceEvent, ArchiveSequenceState> = {
  initialState: () => ({ last: 0 }),

  decide(command, state) {
    switch (command.type) {
      case 'AssignSequence': {
        const sequence = Math.max(state.last + 1, command.firstFree);
        if (sequence > MAX_SEQUENCE) {
          throw ruleBroken(
            'F2',
            'SEQUENCE_EXHAUSTED',
            `every sequence number under ${command.prefix} up to ${MAX_SEQUENCE} is used; codes are never reused`,
          );
        }
        const archiveCode = `${command.prefix}-${String(sequence).padStart(4, '0')}`;
        return [{ type: 'ArchiveSequenceAssigned', data: { prefix: command.prefix, sequence, archiveCode } }];
      }
      default:
        return assertNever(command.type);
    }
  },

  evolve(state, event) {
    switch (event.type) {
      case 'ArchiveSequenceAssigned':
        return { last: Math.max(state.last, event.data.sequence) };
      default:
        return assertNever(event.type);
    }
  },
};
