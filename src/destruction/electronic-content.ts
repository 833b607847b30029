/**
 * D6: a destroyed record's electronic content and digital copies are purged from the system.
 *
 * This is the hook. The system holds no electronic content yet (online viewing, B12, is not
 * built), so the only implementation answers `none_held` and purges nothing: there is nothing to
 * purge, and nothing is pretended. When a content store is added, it implements `purge` (delete
 * every blob and copy of the record, idempotently: execution may call it again after a crash)
 * and binds it to ELECTRONIC_CONTENT; the execution calls it before appending `Destroyed`, whose
 * `electronicContent` records the answer.
 */
export interface ElectronicContentStore {
  purge(archiveCode: string): Promise<'none_held' | 'purged'>;
}

export const ELECTRONIC_CONTENT = Symbol('ELECTRONIC_CONTENT');

/** No electronic content is held anywhere in this build. */
export const NO_ELECTRONIC_CONTENT: ElectronicContentStore = {
  purge: () => Promise.resolve('none_held'),
};
