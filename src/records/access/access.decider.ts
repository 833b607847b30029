import { classificationRank, type Classification } from '../../domain-kernel/actor';
import { assertNever, type Decider } from '../../domain-kernel/decider';
import { DomainError, notFound } from '../../domain-kernel/domain-error';
import type { AccessEvent, AccessView } from './access.events';

/** A1 applies to records classified SECRET or above. */
export const REGISTERED_FROM: Classification = 'SECRET';

/** A1: whether viewing a record of this classification must be registered. */
export function viewIsRegistered(classification: Classification): boolean {
  return classificationRank(classification) >= classificationRank(REGISTERED_FROM);
}

/** Register a view of a record's details (查阅登记, A1), before they are shown. */
export interface RegisterDetailView {
  readonly type: 'RegisterDetailView';
  readonly archiveCode: string;
  readonly purpose: string | undefined;
  /** The record's classification as the catalogue shows it to the viewer. */
  readonly classification: Classification;
  /** What is viewed, when not the current details (history, a past state), and for a past state which moment. */
  readonly view?: AccessView;
  readonly asOf?: string;
}

export type AccessCommand = RegisterDetailView;

/**
 * The access register of one record: stateless — every view of a SECRET-or-above record is
 * registered with its purpose, under the viewer's identity (the envelope's actor). Views of
 * lower classifications need no registration and produce nothing.
 */
export const accessDecider: Decider<AccessCommand, AccessEvent, null> = {
  initialState: () => null,
  evolve: (state) => state,
  decide(command, _state, { actor }) {
    switch (command.type) {
      case 'RegisterDetailView': {
        const { archiveCode, classification } = command;
        // A2, defence in depth: the edge already answers 404 for a record above the caller's clearance.
        if (classificationRank(classification) > classificationRank(actor.clearance)) {
          throw notFound('RECORD_NOT_FOUND', `No record ${archiveCode}`);
        }
        if (!viewIsRegistered(classification)) return [];
        const purpose = command.purpose?.trim() ?? '';
        if (purpose === '') {
          throw new DomainError(
            'invalid',
            'PURPOSE_REQUIRED',
            `A1: viewing the details of a ${classification} record is registered: say why with ?purpose=`,
            {
              rule: 'A1',
              fields: [
                { field: 'purpose', problems: ['is required to view a record classified SECRET or above'] },
              ],
            },
          );
        }
        const { view, asOf } = command;
        return [
          {
            type: 'RecordDetailViewed',
            data: {
              archiveCode,
              purpose,
              classification,
              ...(view !== undefined ? { view } : {}),
              ...(asOf !== undefined ? { asOf } : {}),
            },
          },
        ];
      }
      default:
        return assertNever(command.type);
    }
  },
};
