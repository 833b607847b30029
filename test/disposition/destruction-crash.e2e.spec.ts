import { spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mintToken } from '../../src/auth/mint-token';
import { systemClock } from '../../src/clock/clock';
import { loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import type { RecordedEvent } from '../../src/event-store/event-store.port';
import type { RecordMetadata } from '../../src/records/record.events';
import { people } from '../support/people';
import { BUILT_SERVICE, freePort, startService } from '../support/service-process';
import { contractRecord, filingBodyOf, plainRecord } from '../support/record-fixtures';
import type { TestUser } from '../support/test-app';

/**
 * Issue 5, D6 and X1 with a real crash: the built service (`dist/main.js`) as a child process on a
 * temp DATA_DIR, killed with SIGKILL while it carries a destruction list out (the execution process
 * manager, following the global order from its own checkpoint) or completes a transfer list
 * (`TransferCompletionStarted`, `Transferred` per record, `TransferCompleted`; resumed at start).
 * The first kill lands as soon as the catalogue shows one record gone; after each restart the
 * service is killed again as soon as the catalogue shows more gone than the store held at the
 * previous kill. After every kill the store is read (the service is dead, so its exclusive lock is
 * free): no record has a second `Destroyed` / `Transferred`, and the list is marked done only when
 * every record is. A last restart finishes the list; it is stopped cleanly (SIGTERM) and the store
 * and `audit verify-all` are checked.
 *
 * The service runs on the real clock, so the records are formed in 2005 with 10 years' retention:
 * retention counted from 1 January 2006 (R1) expired in 2016. No fault-injection hook is needed:
 * carrying out 40 records takes a few hundred milliseconds, and the catalogue (fed by the
 * projector in the same process) shows the first ones within a few milliseconds.
 */
jest.setTimeout(60_000);

const MAIN = BUILT_SERVICE;
const CLI = path.resolve(__dirname, '../../bin/archive-ledger.js');
/** Records on each list. */
const N = 40;
/** Kills after the first one, each while the restarted service resumes the list. */
const RESTART_KILLS = 2;

const SIGNERS: readonly (readonly [string, TestUser])[] = [
  ['leader_in_charge', people.deputyGm],
  ['office_head', people.officeHead],
  ['archive_department_head', people.archiveHead],
  ['business_department_head', people.salesHead],
  ['archive_clerk', people.archivist2],
  ['business_clerk', people.salesClerk],
];

interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** One DATA_DIR and the service process currently running on it, if any. */
class Harness {
  readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-disposition-crash-'));
  private child: ChildProcess | undefined;
  private port = 0;
  private readonly tokens = new Map<string, string>();

  async start(): Promise<void> {
    this.port = await freePort();
    this.child = await startService(this.dataDir, this.port, {
      main: MAIN,
      readyPath: '/health/live',
      timeoutMs: 30_000,
      pollMs: 10,
    });
  }

  /** kill -9: no shutdown hook runs. */
  kill(): Promise<void> {
    return this.stopWith('SIGKILL').then(() => undefined);
  }

  /** A clean stop; answers the exit code. */
  stop(): Promise<number | null> {
    return this.stopWith('SIGTERM');
  }

  private stopWith(signal: NodeJS.Signals): Promise<number | null> {
    const child = this.child;
    this.child = undefined;
    return new Promise((resolve) => {
      if (!child || child.exitCode !== null || child.signalCode !== null)
        return resolve(child?.exitCode ?? null);
      child.once('exit', (code) => resolve(code));
      child.kill(signal);
    });
  }

  async dispose(): Promise<void> {
    await this.kill();
    fs.rmSync(this.dataDir, { recursive: true, force: true });
  }

  private async token(user: TestUser): Promise<string> {
    let token = this.tokens.get(user.user);
    if (!token) {
      token = await mintToken(
        loadConfig({ DATA_DIR: this.dataDir }),
        { ...user, roles: [...user.roles] },
        { clock: systemClock },
      );
      this.tokens.set(user.user, token);
    }
    return token;
  }

  async call(method: 'GET' | 'POST', url: string, as: TestUser, body?: unknown): Promise<Answer> {
    const response = await fetch(`http://127.0.0.1:${this.port}${url}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.token(as)}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  async post(url: string, as: TestUser, body: unknown = {}): Promise<Answer> {
    const answer = await this.call('POST', url, as, body);
    if (answer.status !== 201)
      throw new Error(`POST ${url}: ${answer.status} ${JSON.stringify(answer.body).slice(0, 300)}`);
    return answer;
  }

  /** How many records the catalogue shows in this situation (e.g. `destroyed`). */
  async catalogueCount(status: 'destroyed' | 'transferred', after?: string): Promise<number> {
    const query = `status=${status}&limit=1${after ? `&after=${after}` : ''}`;
    const answer = await this.call('GET', `/records?${query}`, people.archivist);
    expect(answer.status).toBe(200);
    return answer.body.total as number;
  }

  /** Every stored event; only while no service holds the store. */
  async events(): Promise<RecordedEvent[]> {
    const store = SqliteEventStore.open({ dataDir: this.dataDir, clock: systemClock });
    try {
      return await store.readAll({ limit: 1_000_000 });
    } finally {
      await store.close();
    }
  }

  /** Waits until `done` holds, polling. */
  async until(what: string, done: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  /** `archive-ledger audit verify-all` on the stopped store: its exit code and report. */
  verifyAll(): { status: number | null; output: string } {
    const result = spawnSync(process.execPath, [CLI, 'audit', 'verify-all', '--no-progress', '--json'], {
      env: { ...process.env, DATA_DIR: this.dataDir, LOG_LEVEL: 'error' },
      encoding: 'utf8',
      timeout: 30_000,
    });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
  }
}

/** Events of `type` per stream, for the streams given. */
function countPerStream(events: readonly RecordedEvent[], type: string, streams: readonly string[]) {
  const counts = Object.fromEntries(streams.map((s) => [s, 0]));
  for (const e of events) if (e.type === type && e.stream in counts) counts[e.stream] += 1;
  return counts;
}

/** What a kill left in the store. */
interface Snapshot {
  /** Records with their `Destroyed` / `Transferred`. */
  readonly done: number;
  /** Whether the list's closing event (`DestructionExecuted` / `TransferCompleted`) is stored. */
  readonly closed: boolean;
}

/**
 * The invariants after any kill: no record carries its event twice; the list is closed at most
 * once, and only when every record is done; progress never goes back.
 */
function checkAfterKill(
  events: readonly RecordedEvent[],
  recordEvent: string,
  recordStreams: readonly string[],
  listStream: string,
  closingEvent: string,
  previous: Snapshot,
): Snapshot {
  const perRecord = countPerStream(events, recordEvent, recordStreams);
  expect(Object.values(perRecord).filter((n) => n > 1)).toEqual([]);
  const done = Object.values(perRecord).filter((n) => n === 1).length;
  const closings = events.filter((e) => e.stream === listStream && e.type === closingEvent).length;
  expect(closings).toBeLessThanOrEqual(1);
  if (closings === 1) expect(done).toBe(recordStreams.length);
  expect(done).toBeGreaterThanOrEqual(previous.done);
  return { done, closed: closings === 1 };
}

/** What a run of kills watches: the record event each record gets once, the list's closing event, the catalogue status. */
interface Work {
  readonly recordEvent: 'Destroyed' | 'Transferred';
  readonly closingEvent: 'DestructionExecuted' | 'TransferCompleted';
  readonly status: 'destroyed' | 'transferred';
  readonly recordStreams: readonly string[];
  readonly listStream: string;
}

/**
 * The service is killed (SIGKILL) as soon as the catalogue shows a first record done, then
 * restarted and killed again as soon as it has done more, up to RESTART_KILLS times or until the
 * list closes. After every kill the store holds each record's event at most once, and the list's
 * closing event only when every record is done. Answers how many kills landed mid-way.
 */
async function killMidWay(h: Harness, work: Work): Promise<number> {
  const check = async (previous: Snapshot) =>
    checkAfterKill(
      await h.events(),
      work.recordEvent,
      work.recordStreams,
      work.listStream,
      work.closingEvent,
      previous,
    );
  await h.until(`a first record is ${work.status}`, async () => (await h.catalogueCount(work.status)) >= 1);
  await h.kill();
  let snapshot = await check({ done: 0, closed: false });
  // The first kill lands mid-way: some records done, not all, and the list still open.
  expect(snapshot.done).toBeGreaterThanOrEqual(1);
  expect(snapshot.done).toBeLessThan(work.recordStreams.length);
  expect(snapshot.closed).toBe(false);
  let midwayKills = 1;
  for (let kill = 0; kill < RESTART_KILLS && !snapshot.closed; kill++) {
    const before = snapshot;
    await h.start();
    await h.until(
      `the restarted service has ${work.status} more`,
      async () => (await h.catalogueCount(work.status)) > before.done,
    );
    await h.kill();
    snapshot = await check(before);
    if (!snapshot.closed) midwayKills++;
  }
  return midwayKills;
}

function expiredSalesRecord(seq: number): RecordMetadata {
  const n = String(seq).padStart(4, '0');
  return {
    ...contractRecord,
    archiveCode: `Z001-WS-2005-D10-SALES-${n}`,
    year: 2005,
    retentionClass: 'D10',
    organisationalUnit: '销售部',
    title: `华东精密机械有限公司2005年度供货合同（第${seq}份）`,
    documentNumber: `销合〔2005〕${String(seq).padStart(3, '0')}号`,
    dateFormed: '2005-03-15',
    shelfLocation: `B-01-02-${String(seq).padStart(2, '0')}`,
  };
}

function permanentPublicRecord(seq: number): RecordMetadata {
  const code = `Z001-WS-2014-Y-BGS-${String(seq).padStart(4, '0')}`;
  return {
    ...plainRecord(code, 'PUBLIC'),
    year: 2014,
    retentionClass: 'PERMANENT',
    dateFormed: '2014-12-20',
    title: `2014年度经营工作总结 第${seq}件`,
    shelfLocation: `A-01-03-${String(seq).padStart(2, '0')}`,
  };
}

/** Runs `task` over `items`, `width` at a time. */
async function inParallel<T>(items: readonly T[], width: number, task: (item: T) => Promise<void>) {
  const queue = [...items];
  await Promise.all(
    Array.from({ length: width }, async () => {
      for (let item = queue.shift(); item !== undefined; item = queue.shift()) await task(item);
    }),
  );
}

describe('disposition under kill -9: the built service killed while it carries a list out', () => {
  beforeAll(() => {
    if (!fs.existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does it)`);
  });

  let h: Harness;
  beforeEach(() => {
    h = new Harness();
  });
  afterEach(() => h.dispose());

  it('D6: execution killed mid-way, and again while resuming, finishes at restart: every record destroyed exactly once, none half-way, the list executed once', async () => {
    await h.start();
    const records = Array.from({ length: N }, (_, i) => expiredSalesRecord(i + 1));
    const codes = records.map((r) => r.archiveCode);
    const recordStreams = codes.map((c) => `record-${c}`);

    // R4, R5: filed with expired retention and released by the appraisal committee.
    await inParallel(records, 8, async (record) => {
      await h.post('/records', people.archivist, filingBodyOf(record));
      await h.post(`/records/${record.archiveCode}/appraisals`, people.appraiser, {
        decision: 'release',
        grounds: '已无查考利用价值，保管期满，同意销毁',
        members: [{ id: people.appraiser2.user, unit: people.appraiser2.unit }],
      });
    });
    // D2–D5: listed, signed in all six capacities, checked by both witnesses.
    const drafted = await h.post('/destruction-lists', people.archivist, {
      title: '2005年度到期档案销毁清册',
      businessUnit: 'SALES',
    });
    const listId = drafted.body.listId as string;
    const listStream = `destruction-${listId}`;
    for (const archiveCode of codes)
      await h.post(`/destruction-lists/${listId}/items`, people.archivist, { archiveCode });
    for (const [capacity, signer] of SIGNERS)
      await h.post(`/destruction-lists/${listId}/signatures`, signer, {
        capacity,
        decision: 'approve',
        opinion: '同意销毁',
      });
    for (const witness of [people.archiveWitness, people.salesWitness])
      await h.post(`/destruction-lists/${listId}/witness-checks`, witness, {
        itemCount: N,
        archiveCodes: codes,
        notes: '实物与清册核对无误',
      });

    // D6: ordered; killed as soon as the catalogue shows a first record destroyed, then, restarted,
    // the process manager resumes from its checkpoint and is killed again as soon as it has
    // destroyed more (while the list is still open).
    await h.post(`/destruction-lists/${listId}/execution`, people.archivist);
    const midwayKills = await killMidWay(h, {
      recordEvent: 'Destroyed',
      closingEvent: 'DestructionExecuted',
      status: 'destroyed',
      recordStreams,
      listStream,
    });

    // Each restart resumes a handful of records before the catalogue shows them, so the first
    // restart's kill, at least, lands with the list still open.
    expect(midwayKills).toBeGreaterThanOrEqual(2);

    // The last restart finishes the list.
    await h.start();
    await h.until('the list is executed', async () => {
      const list = await h.call('GET', `/destruction-lists/${listId}`, people.archivist);
      return list.status === 200 && list.body.status === 'executed';
    });
    // One more filing gives a position after everything; the catalogue read with ?after= it.
    const head = (await h.post('/records', people.archivist, filingBodyOf(expiredSalesRecord(99)))).body
      .position as string;
    expect(await h.catalogueCount('destroyed', head)).toBe(N);
    expect(await h.stop()).toBe(0);

    const events = await h.events();
    // Exactly one Destroyed per listed record, each citing the list, its six signatures and both witnesses.
    expect(countPerStream(events, 'Destroyed', recordStreams)).toEqual(
      Object.fromEntries(recordStreams.map((s) => [s, 1])),
    );
    const destroyed = events.filter((e) => e.type === 'Destroyed');
    expect(destroyed).toHaveLength(N);
    for (const e of destroyed) {
      expect(e.metadata.actor.id).toBe(people.archivist.user);
      expect(e.data).toMatchObject({ listId, policyVersion: 1, electronicContent: 'none_held' });
      const data = e.data as {
        signatures: { capacity: string; signer: { id: string } }[];
        witnesses: { capacity: string; witness: { id: string } }[];
      };
      expect(data.signatures.map((s) => [s.capacity, s.signer.id])).toEqual(
        SIGNERS.map(([capacity, signer]) => [capacity, signer.user]),
      );
      expect(data.witnesses.map((w) => [w.capacity, w.witness.id]).sort()).toEqual([
        ['archive', people.archiveWitness.user],
        ['business', people.salesWitness.user],
      ]);
    }
    // No record half-way: its Destroyed is its last event, one append after its appraisal.
    for (const stream of recordStreams)
      expect(events.filter((e) => e.stream === stream).map((e) => e.type)).toEqual([
        'ArchiveFiled',
        'AppraisalRecorded',
        'Destroyed',
      ]);
    // The list: started once, executed once, nothing withheld.
    const list = events.filter((e) => e.stream === listStream).map((e) => e.type);
    expect(list.filter((t) => t === 'DestructionExecutionStarted')).toHaveLength(1);
    expect(list.filter((t) => t === 'DestructionItemWithheld')).toHaveLength(0);
    expect(list[list.length - 1]).toBe('DestructionExecuted');
    const executed = events.filter((e) => e.stream === listStream && e.type === 'DestructionExecuted');
    expect(executed).toHaveLength(1);
    expect((executed[0].data as { destroyed: string[] }).destroyed).toEqual(codes);
    expect(executed[0].data).toMatchObject({ withheld: [] });

    // D8: every chain, the Merkle tree and the signed checkpoints verify.
    const verified = h.verifyAll();
    expect({ status: verified.status, output: verified.status === 0 ? '' : verified.output }).toEqual({
      status: 0,
      output: '',
    });
  });

  it('X1: completion killed mid-way, and again while resuming, finishes at restart: every record transferred exactly once, the list completed once', async () => {
    await h.start();
    const records = Array.from({ length: N }, (_, i) => permanentPublicRecord(i + 1));
    const codes = records.map((r) => r.archiveCode);
    const recordStreams = codes.map((c) => `record-${c}`);
    await inParallel(records, 8, async (record) => {
      await h.post('/records', people.archivist, filingBodyOf(record));
    });
    const drafted = await h.post('/transfers', people.archivist, {
      receiver: { organisation: '上海市档案馆', representative: '周明' },
      basis: '2014年度永久档案进馆移交',
    });
    const transferId = drafted.body.transferId as string;
    const listStream = `transfer-${transferId}`;
    for (const archiveCode of codes)
      await h.post(`/transfers/${transferId}/items`, people.archivist, { archiveCode });
    await h.post(`/transfers/${transferId}/signatures/transferor`, people.archiveHead, {
      opinion: '同意移交',
    });
    // Signed on paper yesterday (the service's clock is the real one).
    const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
    await h.post(`/transfers/${transferId}/signatures/receiver`, people.archivist, {
      receiptReference: '沪档接〔2026〕15号',
      signedOn: yesterday,
    });

    // The completion runs inside the request: sent, not awaited; killed as soon as the catalogue
    // shows a first record transferred.
    const completion = h
      .call('POST', `/transfers/${transferId}/completion`, people.archivist, { note: '档案实体已清点交接' })
      .catch(() => undefined); // the connection dies with the process
    // At start the service finds the list `completing` and finishes it; killed again meanwhile.
    const midwayKills = await killMidWay(h, {
      recordEvent: 'Transferred',
      closingEvent: 'TransferCompleted',
      status: 'transferred',
      recordStreams,
      listStream,
    });
    expect(await completion).toBeUndefined();
    expect(midwayKills).toBeGreaterThanOrEqual(2);

    await h.start();
    await h.until('the list is completed', async () => {
      const list = await h.call('GET', `/transfers/${transferId}`, people.archivist);
      return list.status === 200 && list.body.status === 'completed';
    });
    const head = (await h.post('/records', people.archivist, filingBodyOf(permanentPublicRecord(99)))).body
      .position as string;
    expect(await h.catalogueCount('transferred', head)).toBe(N);
    expect(await h.stop()).toBe(0);

    const events = await h.events();
    expect(countPerStream(events, 'Transferred', recordStreams)).toEqual(
      Object.fromEntries(recordStreams.map((s) => [s, 1])),
    );
    for (const e of events.filter((x) => x.type === 'Transferred')) {
      expect(e.metadata.actor.id).toBe(people.archivist.user);
      expect(e.data).toMatchObject({
        transferId,
        receiptReference: '沪档接〔2026〕15号',
        approvedBy: { id: people.archiveHead.user },
      });
    }
    const list = events.filter((e) => e.stream === listStream).map((e) => e.type);
    expect(list.filter((t) => t === 'TransferCompletionStarted')).toHaveLength(1);
    expect(list.filter((t) => t === 'TransferCompleted')).toHaveLength(1);
    expect(list[list.length - 1]).toBe('TransferCompleted');
    const completed = events.find((e) => e.stream === listStream && e.type === 'TransferCompleted');
    expect(completed?.data).toMatchObject({ transferId, transferred: codes, withheld: [] });

    const verified = h.verifyAll();
    expect({ status: verified.status, output: verified.status === 0 ? '' : verified.output }).toEqual({
      status: 0,
      output: '',
    });
  });
});
