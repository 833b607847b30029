import type { Actor } from '../../domain-kernel/actor';
import type {
  DecideLoanApproval,
  HandOverLoan,
  RecordUtilisation,
  ReportDamage,
  RequestLoan,
  RequestRenewal,
  ReturnLoan,
  SendOverdueReminder,
  WithdrawLoan,
} from '../record.commands';
import type { RecordEvent } from '../record.events';
import type { FiledRecord } from '../record.state';

// STUBS: to be written (B1–B13).
const todo = (): never => {
  throw new Error('not implemented');
};
export function requestLoan(_c: RequestLoan, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
export function decideLoanApproval(_c: DecideLoanApproval, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
export function withdrawLoan(_c: WithdrawLoan, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
export function handOverLoan(_c: HandOverLoan, _r: FiledRecord, _a: Actor, _now: Date): RecordEvent[] { return todo(); }
export function requestRenewal(_c: RequestRenewal, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
export function sendOverdueReminder(_c: SendOverdueReminder, _r: FiledRecord, _now: Date): RecordEvent[] { return todo(); }
export function returnLoan(_c: ReturnLoan, _r: FiledRecord, _a: Actor, _now: Date): RecordEvent[] { return todo(); }
export function reportDamage(_c: ReportDamage, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
export function recordUtilisation(_c: RecordUtilisation, _r: FiledRecord, _a: Actor): RecordEvent[] { return todo(); }
