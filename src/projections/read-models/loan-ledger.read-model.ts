import type { ReadModel } from '../read-model';

// STUB: to be written.
export const loanLedgerReadModel: ReadModel = {
  collection: { name: 'loan_ledger', indexes: [] },
  route: () => undefined,
  apply: (doc) => doc,
};
