import type { RecordMetadata } from '../../src/records/record.events';
import { people } from './people';
import { filingBodyOf } from './record-fixtures';
import { startTestApp, type TestApp, type TestUser } from './test-app';

/** Files `record` over HTTP (`POST /records`) as `as`, and expects it filed (201). */
export async function fileRecord(t: TestApp, record: RecordMetadata, as: TestUser = people.archivist) {
  const filed = await t.request({ method: 'POST', url: '/records', as, body: filingBodyOf(record) });
  expect(filed.status).toBe(201);
  return filed;
}

/**
 * A fresh app holding one record, filed as `as`, and how many events the store then holds (a
 * refused request must leave it so).
 */
export async function startWithRecord(
  record: RecordMetadata,
  as: TestUser = people.archivist,
): Promise<{ t: TestApp; filedCount: number }> {
  const t = await startTestApp();
  try {
    await fileRecord(t, record, as);
    return { t, filedCount: await t.eventCount() };
  } catch (error) {
    await t.close();
    throw error;
  }
}
