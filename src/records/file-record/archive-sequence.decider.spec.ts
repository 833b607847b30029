import { deciderSpecification } from '../../../test/support/decider-specification';
import { actorOf, people } from '../../../test/support/people';
import { archiveSequenceDecider, type ArchiveSequenceEvent } from './archive-sequence.decider';

const spec = deciderSpecification(archiveSequenceDecider, {
  actor: actorOf(people.archivist),
  now: new Date('2026-03-01T09:00:00Z'),
});
const prefix = 'Z001-WS-2024-D30-BGS';
const assigned = (sequence: number): ArchiveSequenceEvent => ({
  type: 'ArchiveSequenceAssigned',
  data: { prefix, sequence, archiveCode: `${prefix}-${String(sequence).padStart(4, '0')}` },
});

describe('archive sequence decider', () => {
  it('F2: assigns 0001 under a prefix never used', () => {
    spec([])
      .when({ type: 'AssignSequence', prefix, firstFree: 1 })
      .then([assigned(1)]);
  });

  it('F2: never hands out a number twice, even when asked for a lower one', () => {
    spec([assigned(1), assigned(2)])
      .when({ type: 'AssignSequence', prefix, firstFree: 1 })
      .then([assigned(3)]);
  });

  it('F2: skips to the first free number when codes were filed by hand above the last one assigned', () => {
    spec([assigned(1)])
      .when({ type: 'AssignSequence', prefix, firstFree: 4 })
      .then([assigned(4)]);
  });

  it('F2: refuses when the four-digit sequence is used up, since codes are never reused', () => {
    spec([assigned(9999)])
      .when({ type: 'AssignSequence', prefix, firstFree: 1 })
      .thenRefused({ kind: 'rule', rule: 'F2', code: 'SEQUENCE_EXHAUSTED' });
  });
});
