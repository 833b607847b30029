import { assertNever, type Decider } from '../../domain-kernel/decider';
import { conflict, forbidden, invalid, type FieldProblem } from '../../domain-kernel/domain-error';
import type { PublishedSealingKey, SealingKeyEvent } from './sealing-keys.events';

/** An administrator rotates the key; the sealer itself records a key it found replaced on start. */
export const KEY_ROTATOR_ROLE = 'administrator';
export const SEALER_ACTOR_ID = 'system:sealer';

export interface RotateSealingKey {
  readonly type: 'RotateSealingKey';
  readonly keyName: string;
  /** The key the caller is replacing: refused if another rotation happened since. */
  readonly previous: PublishedSealingKey;
  readonly next: PublishedSealingKey;
  readonly treeSize: number;
  readonly reason: string;
}

export type SealingKeyCommand = RotateSealingKey;

/** The key in force as the stream records it (undefined: never rotated — the first key). */
export interface SealingKeyState {
  readonly current?: PublishedSealingKey;
  readonly rotations: number;
}

export const sealingKeysDecider: Decider<SealingKeyCommand, SealingKeyEvent, SealingKeyState> = {
  initialState: () => ({ rotations: 0 }),
  evolve(state, event) {
    switch (event.type) {
      case 'SealingKeyRotated':
        return { current: event.data.next, rotations: state.rotations + 1 };
      default:
        return assertNever(event.type);
    }
  },
  decide(command, state, { actor }) {
    switch (command.type) {
      case 'RotateSealingKey': {
        if (!actor.roles.includes(KEY_ROTATOR_ROLE) && actor.id !== SEALER_ACTOR_ID) {
          throw forbidden(
            'ADMINISTRATOR_REQUIRED',
            'only an administrator rotates the checkpoint signing key',
          );
        }
        const problems: FieldProblem[] = [];
        if (typeof command.reason !== 'string' || command.reason.trim() === '') {
          problems.push({ field: 'reason', problems: ['must not be blank: say why the key is rotated'] });
        }
        if (command.next.keyId === command.previous.keyId) {
          problems.push({ field: 'next', problems: ['must differ from the key it replaces'] });
        }
        if (problems.length > 0) throw invalid('ROTATION_INVALID', 'The key cannot be rotated', problems);
        if (state.current !== undefined && state.current.keyId !== command.previous.keyId) {
          throw conflict(
            'SEALING_KEY_MOVED',
            `the key in force is ${state.current.keyId}, not ${command.previous.keyId}: another rotation happened`,
          );
        }
        return [
          {
            type: 'SealingKeyRotated',
            data: {
              keyName: command.keyName,
              previous: command.previous,
              next: command.next,
              treeSize: command.treeSize,
              reason: command.reason.trim(),
              rotatedBy: { id: actor.id, unit: actor.unit },
            },
          },
        ];
      }
      default:
        return assertNever(command.type);
    }
  },
};
