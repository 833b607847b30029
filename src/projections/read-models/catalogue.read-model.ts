import type { ReadModel } from '../read-model';

// STUB: to be written.
export const catalogueReadModel: ReadModel = {
  collection: { name: 'catalogue', indexes: [] },
  route: () => undefined,
  apply: (doc) => doc,
};
