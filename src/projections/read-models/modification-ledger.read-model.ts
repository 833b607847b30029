import type { ReadModel } from '../read-model';

// STUB: to be written.
export const modificationLedgerReadModel: ReadModel = {
  collection: { name: 'modification_ledger', indexes: [] },
  route: () => undefined,
  apply: (doc) => doc,
};
