import type { ReadModel } from '../read-model';

// STUB: to be written.
export const holdsRegisterReadModel: ReadModel = {
  collection: { name: 'holds_register', indexes: [] },
  route: () => undefined,
  apply: (doc) => doc,
};
