import type { ReadModel } from '../read-model';

// STUB: to be written.
export const accessRegisterReadModel: ReadModel = {
  collection: { name: 'access_register', indexes: [] },
  route: () => undefined,
  apply: (doc) => doc,
};
