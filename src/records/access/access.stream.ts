/**
 * The access register's stream of one record (A1): `access-{archiveCode}`, kept apart from
 * `record-{archiveCode}` so that reading a record never contends with commands on it.
 */
export function accessStream(archiveCode: string): string {
  return `access-${archiveCode}`;
}

export const ACCESS_STREAM_PREFIX = 'access-';
