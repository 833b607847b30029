import type { Actor } from '../../domain-kernel/actor';
import type { ExtendRetention } from '../record.commands';
import type { RecordEvent } from '../record.events';
import type { FiledRecord } from '../record.state';

// STUB: to be written (R2, R3).
export function extendRetention(_c: ExtendRetention, _r: FiledRecord, _a: Actor): RecordEvent[] {
  throw new Error('not implemented');
}
