import { fileRecord } from '../../test/support/filed-record';
import { people } from '../../test/support/people';
import type { TestApp, TestUser } from '../../test/support/test-app';
import type { RecordMetadata } from '../records/record.events';

/** HTTP steps of the destruction story, for the int specs and the story test. */

export const SIGNERS: readonly [string, TestUser][] = [
  ['leader_in_charge', people.deputyGm],
  ['office_head', people.officeHead],
  ['archive_department_head', people.archiveHead],
  ['business_department_head', people.salesHead],
  ['archive_clerk', people.archivist2],
  ['business_clerk', people.salesClerk],
];

export async function post(
  t: TestApp,
  url: string,
  as: TestUser,
  body: unknown = {},
  headers: Record<string, string> = {},
) {
  return t.request({ method: 'POST', url, as, body, headers });
}

/** Files the record and has the committee release it for destruction (R5). */
export async function fileAndRelease(t: TestApp, record: RecordMetadata): Promise<void> {
  await fileRecord(t, record);
  const appraised = await post(t, `/records/${record.archiveCode}/appraisals`, people.appraiser, {
    decision: 'release',
    grounds: '已无查考利用价值，保管期满，同意销毁',
    members: [{ id: people.appraiser2.user, unit: people.appraiser2.unit }],
  });
  expect(appraised.status).toBe(201);
}

export async function draftList(
  t: TestApp,
  codes: readonly string[],
  title = '2026年第一批到期档案销毁清册',
): Promise<string> {
  const drafted = await post(t, '/destruction-lists', people.archivist, { title, businessUnit: 'SALES' });
  expect(drafted.status).toBe(201);
  const listId = drafted.body.listId as string;
  for (const archiveCode of codes) {
    const added = await post(t, `/destruction-lists/${listId}/items`, people.archivist, { archiveCode });
    expect(added.status).toBe(201);
  }
  return listId;
}

export async function signAll(t: TestApp, listId: string, signers = SIGNERS): Promise<void> {
  for (const [capacity, signer] of signers) {
    const signed = await post(t, `/destruction-lists/${listId}/signatures`, signer, {
      capacity,
      decision: 'approve',
      opinion: '同意销毁',
    });
    expect(signed.status).toBe(201);
  }
}

export async function witnessCheck(t: TestApp, listId: string, codes: readonly string[], witness: TestUser) {
  return post(t, `/destruction-lists/${listId}/witness-checks`, witness, {
    itemCount: codes.length,
    archiveCodes: codes,
    notes: '实物与清册核对无误',
  });
}

/** Waits until the execution process has appended DestructionExecuted to the list. */
export async function waitUntilExecuted(t: TestApp, listId: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const events = await t.store.readStream(`destruction-${listId}`);
    if (events.some((e) => e.type === 'DestructionExecuted')) return;
    if (Date.now() > deadline) throw new Error(`list ${listId} was not executed within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Every `Destroyed` event in the store, per archive code. */
export async function destroyedCount(t: TestApp): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const e of await t.store.readAll({ limit: 1_000_000 })) {
    if (e.type !== 'Destroyed') continue;
    const code = e.stream.replace(/^record-/, '');
    counts.set(code, (counts.get(code) ?? 0) + 1);
  }
  return counts;
}

/** A list signed by all six and checked by both witnesses: ready to execute. */
export async function readyList(t: TestApp, codes: readonly string[]): Promise<string> {
  const listId = await draftList(t, codes);
  await signAll(t, listId);
  expect((await witnessCheck(t, listId, codes, people.archiveWitness)).status).toBe(201);
  expect((await witnessCheck(t, listId, codes, people.salesWitness)).status).toBe(201);
  return listId;
}
