import type { ReadModel } from './read-model';
import { accessRegisterReadModel } from './read-models/access-register.read-model';
import { catalogueReadModel } from './read-models/catalogue.read-model';
import { destructionRegisterReadModel } from './read-models/destruction-register.read-model';
import { holdsRegisterReadModel } from './read-models/holds-register.read-model';
import { loanLedgerReadModel } from './read-models/loan-ledger.read-model';
import { modificationLedgerReadModel } from './read-models/modification-ledger.read-model';
import { stockTakingReadModel } from './read-models/stock-taking.read-model';
import { transferRegisterReadModel } from './read-models/transfer-register.read-model';

/** Every read model the projector feeds; `archive-ledger projections rebuild <name>` takes one of their collection names. */
export const READ_MODELS: readonly ReadModel[] = [
  catalogueReadModel,
  loanLedgerReadModel,
  modificationLedgerReadModel,
  holdsRegisterReadModel,
  accessRegisterReadModel,
  // ── Transfer and stock-taking (X1, X2)
  transferRegisterReadModel,
  stockTakingReadModel,
  // ── Appraisal and destruction (R4, R5, D1–D8)
  destructionRegisterReadModel,
];

/** Where a rebuild's worker thread finds READ_MODELS (rebuild-worker/rebuild-in-worker.ts). */
export const READ_MODELS_SOURCE = { module: __filename, exportName: 'READ_MODELS' } as const;
