import type { Actor } from '../../domain-kernel/actor';
import type { ChangeClassification } from '../record.commands';
import type { RecordEvent } from '../record.events';
import type { FiledRecord } from '../record.state';

// STUB: to be written (F6).
export function changeClassification(_c: ChangeClassification, _r: FiledRecord, _a: Actor): RecordEvent[] {
  throw new Error('not implemented');
}
