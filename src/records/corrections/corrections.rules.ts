import type { Actor } from '../../domain-kernel/actor';
import type { DecideCorrection, ProposeCorrection } from '../record.commands';
import type { RecordEvent } from '../record.events';
import type { FiledRecord } from '../record.state';

// STUBS: to be written (F5).
const todo = (): never => {
  throw new Error('not implemented');
};
export function proposeCorrection(_c: ProposeCorrection, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
export function decideCorrection(_c: DecideCorrection, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
