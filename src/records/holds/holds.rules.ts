import type { Actor } from '../../domain-kernel/actor';
import type { PlaceHold, ReleaseHold } from '../record.commands';
import type { RecordEvent } from '../record.events';
import type { FiledRecord } from '../record.state';

// STUBS: to be written (R6).
const todo = (): never => {
  throw new Error('not implemented');
};
export function placeHold(_c: PlaceHold, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
export function releaseHold(_c: ReleaseHold, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
