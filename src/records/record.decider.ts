import { assertNever, type Decider } from '../domain-kernel/decider';
import { recordAppraisal } from './appraisal/appraisal.rules';
import { changeClassification } from './classification/classification.rules';
import { decideCorrection, proposeCorrection } from './corrections/corrections.rules';
import { markMissing, recordFoundAgain, requireInCustody, transferRecord } from './custody/custody.rules';
import { destroyRecord, requireNotDestroyed } from './destruction/destruction.rules';
import { fileRecord } from './file-record/filing.rules';
import { placeHold, releaseHold } from './holds/holds.rules';
import {
  decideLoanApproval,
  handOverLoan,
  recordUtilisation,
  reportDamage,
  requestLoan,
  requestRenewal,
  returnLoan,
  sendOverdueReminder,
  withdrawLoan,
} from './loans/loans.rules';
import type { RecordCommand } from './record.commands';
import type { RecordEvent } from './record.events';
import { requireVisibleRecord } from './record.rules';
import { evolveRecord, type RecordState } from './record.state';
import { extendRetention } from './retention/retention.rules';

export type { RecordState } from './record.state';
export type { FileRecord, RecordCommand } from './record.commands';

/**
 * The record aggregate (stream `record-{archiveCode}`): pure decide/evolve. Each capability's
 * rules live in its own folder (loans/, corrections/, classification/, retention/, holds/);
 * this file only routes commands to them.
 */
export const recordDecider: Decider<RecordCommand, RecordEvent, RecordState> = {
  initialState: () => ({ status: 'not_filed' }),

  decide(command, state, { actor, now }) {
    if (command.type === 'FileRecord') return fileRecord(command, state, actor);
    const record = requireVisibleRecord(state, actor);
    // D6: a destroyed record refuses every command; only its history can be read.
    requireNotDestroyed(record);
    // X1, X2: a transferred record has left custody; a missing one is not handed over.
    requireInCustody(command, record);
    switch (command.type) {
      case 'ProposeCorrection':
        return proposeCorrection(command, record, actor);
      case 'DecideCorrection':
        return decideCorrection(command, record, actor);
      case 'ChangeClassification':
        return changeClassification(command, record, actor);
      case 'RequestLoan':
        return requestLoan(command, record, actor);
      case 'DecideLoanApproval':
        return decideLoanApproval(command, record, actor);
      case 'WithdrawLoan':
        return withdrawLoan(command, record, actor);
      case 'HandOverLoan':
        return handOverLoan(command, record, actor, now);
      case 'RequestRenewal':
        return requestRenewal(command, record, actor);
      case 'SendOverdueReminder':
        return sendOverdueReminder(command, record, now);
      case 'ReturnLoan':
        return returnLoan(command, record, actor, now);
      case 'ReportDamage':
        return reportDamage(command, record, actor);
      case 'RecordUtilisation':
        return recordUtilisation(command, record, actor);
      case 'ExtendRetention':
        return extendRetention(command, record, actor);
      case 'PlaceHold':
        return placeHold(command, record, actor);
      case 'ReleaseHold':
        return releaseHold(command, record, actor);
      // ── Transfer and stock-taking (X1, X2)
      case 'TransferRecord':
        return transferRecord(command, record, actor);
      case 'MarkMissing':
        return markMissing(command, record, actor);
      case 'RecordFoundAgain':
        return recordFoundAgain(command, record, actor);
      // ── Appraisal and destruction (R4, R5, D1–D8)
      case 'RecordAppraisal':
        return recordAppraisal(command, record, actor, now);
      case 'DestroyRecord':
        return destroyRecord(command, record, actor, now);
      default:
        return assertNever(command);
    }
  },

  evolve: evolveRecord,
};
