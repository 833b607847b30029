import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { mintToken } from '../../src/auth/mint-token';
import { systemClock } from '../../src/clock/clock';
import { loadConfig } from '../../src/config/config';
import { SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import { verifyChain } from '../../src/event-store/envelope';
import { READ_MODELS } from '../../src/projections/read-models';
import { rebuildReadModels } from '../../src/projections/rebuild';
import { SqliteReadStore } from '../../src/read-store/embedded/sqlite-read-store';
import type { ReadDoc, ReadStore } from '../../src/read-store/read-store.port';
import { people } from '../support/people';
import { freePort, killHard, startService } from '../support/service-process';
import { filingBodyOf, plainRecord } from '../support/record-fixtures';
import type { TestUser } from '../support/test-app';
import { envCount, printSummary, runSeed, seededRandom } from './summary';

/**
 * Crash (issue 7, reliability 1): the built service (`dist/main.js`) as a real child process on a
 * temp DATA_DIR, under concurrent command load — filings, and loans from request through approval
 * and hand-over to return — killed with SIGKILL at random moments (seeded; RELIABILITY_SEED
 * replays the moments), RELIABILITY_KILLS times (default 20). Every acknowledged command (a 2xx
 * with its stream, revision and position) must be in the store after the restarts, exactly where
 * the answer said; every stream's hash chain must verify; the global order must have no gap; and
 * the read models the restarted service built must equal a rebuild from the first event.
 */
/** The built service; RELIABILITY_SERVICE runs another build of it (e.g. one compiled elsewhere). */
const MAIN = path.resolve(process.env.RELIABILITY_SERVICE ?? path.join(__dirname, '../../dist/main.js'));
const KILLS = envCount('RELIABILITY_KILLS', 20);
const WORKERS = envCount('RELIABILITY_CRASH_WORKERS', 8);
const SEED = runSeed();

/** The service under test: the built one, or RELIABILITY_SERVICE. */
const start = (dataDir: string, port: number) =>
  startService(dataDir, port, { main: MAIN, readyPath: '/health/live', timeoutMs: 30_000, pollMs: 50 });

/** An acknowledged command: the answer said its last event is at this revision and position. */
interface Ack {
  readonly stream: string;
  readonly revision: number;
  readonly position: string;
  readonly event: string;
}

/** Every document of every read model, in id order. */
async function dumpAll(reads: ReadStore): Promise<Record<string, ReadDoc[]>> {
  const all: Record<string, ReadDoc[]> = {};
  for (const model of READ_MODELS) {
    const name = model.collection.name;
    all[name] = [];
    let cursor: string | undefined;
    do {
      const page = await reads.find(name, { limit: 1000, ...(cursor ? { cursor } : {}) });
      all[name].push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
  }
  return all;
}

describe('reliability: crash — SIGKILL under concurrent command load', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-reliability-crash-'));
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  beforeAll(() => {
    if (!fs.existsSync(MAIN))
      throw new Error(`${MAIN} is missing: run \`npm run build\` first (npm test does it)`);
  });

  it(`loses no acknowledged command, breaks no chain and leaves read models equal to a rebuild across ${KILLS} SIGKILLs (seed ${SEED})`, async () => {
    const random = seededRandom(SEED);
    const config = loadConfig({ DATA_DIR: dataDir });
    const tokens = new Map<string, string>();
    const tokenOf = async (user: TestUser) => {
      if (!tokens.has(user.user))
        tokens.set(
          user.user,
          await mintToken(config, { ...user, roles: [...user.roles] }, { clock: systemClock }),
        );
      return tokens.get(user.user) as string;
    };
    const borrower = (w: number): TestUser => ({
      user: `crash.borrower.${w}`,
      roles: ['borrower'],
      unit: 'SALES',
      clearance: 'INTERNAL',
    });
    for (const user of [
      people.archivist,
      people.archiveHead,
      ...Array.from({ length: WORKERS }, (_, w) => borrower(w)),
    ])
      await tokenOf(user);

    const acks: Ack[] = [];
    const unexpected: string[] = [];
    let kills = 0;
    let inFlightAtKill = 0;

    for (let round = 1; round <= KILLS; round++) {
      const port = await freePort();
      const child = await start(dataDir, port);
      let dead = false;
      let inFlight = 0;
      const post = async (url: string, as: TestUser, body: unknown = {}): Promise<boolean> => {
        if (dead) return false;
        inFlight++;
        try {
          const response = await fetch(`http://127.0.0.1:${port}${url}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${await tokenOf(as)}` },
            body: JSON.stringify(body),
          });
          const answer = (await response.json()) as {
            stream: string;
            revision: number;
            position: string;
            events: string[];
          };
          if (response.status === 201 || response.status === 200) {
            acks.push({
              stream: answer.stream,
              revision: answer.revision,
              position: answer.position,
              event: answer.events[answer.events.length - 1],
            });
            return true;
          }
          if (!dead) unexpected.push(`${response.status} ${url}: ${JSON.stringify(answer).slice(0, 200)}`);
          return false;
        } catch {
          return false; // the connection died with the process
        } finally {
          inFlight--;
        }
      };

      const worker = async (w: number) => {
        for (let n = 1; !dead; n++) {
          const code = `Z001-WS-2024-D30-R${round}W${w}-${String(n).padStart(4, '0')}`;
          if (
            !(await post(
              '/records',
              people.archivist,
              filingBodyOf({ ...plainRecord(code, 'INTERNAL'), title: `崩溃测试 ${round}-${w}-${n}` }),
            ))
          )
            return;
          if (random() < 0.5) continue;
          // A loan through its whole life on the record just filed (B4: two days need the archive head).
          const loanId = `${code}.L1`;
          if (
            !(await post(`/records/${code}/loans`, borrower(w), {
              mode: 'lend_out',
              purpose: '崩溃测试借出',
              days: 2,
            }))
          )
            return;
          if (!(await post(`/loans/${loanId}/approvals`, people.archiveHead, { decision: 'approve' })))
            return;
          if (!(await post(`/loans/${loanId}/hand-over`, people.archivist))) return;
          if (!(await post(`/loans/${loanId}/return`, people.archivist, { condition: 'intact' }))) return;
        }
      };
      const load = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
      // A random moment: somewhere between right after the start and well into the load.
      await new Promise((r) => setTimeout(r, 50 + Math.floor(random() * 700)));
      inFlightAtKill += inFlight;
      dead = true;
      await killHard(child);
      kills++;
      await load;
    }

    // Restart once more: the projector resumes from its checkpoint and catches up with the head.
    const probe = SqliteEventStore.open({ dataDir, clock: systemClock });
    const head = await probe.headPosition();
    await probe.close();
    const port = await freePort();
    const last = await start(dataDir, port);
    const caughtUp = await fetch(`http://127.0.0.1:${port}/records?limit=1&after=${head}`, {
      headers: { authorization: `Bearer ${await tokenOf(people.archivist)}` },
    });
    expect(caughtUp.status).toBe(200);
    const exit = await new Promise<number | null>((resolve) => {
      last.once('exit', (code) => resolve(code));
      last.kill('SIGTERM');
    });
    expect(exit).toBe(0);

    const store = SqliteEventStore.open({ dataDir, clock: systemClock });
    const reads = SqliteReadStore.open(store);
    try {
      const all = await store.readAll({ limit: 1_000_000 });
      expect(all.map((e) => Number(e.position))).toEqual(all.map((_, i) => i + 1));
      const streams = new Map<string, typeof all>();
      for (const event of all) streams.set(event.stream, [...(streams.get(event.stream) ?? []), event]);

      const lost = acks.filter((ack) => {
        const event = streams.get(ack.stream)?.[ack.revision];
        return !event || event.position !== ack.position || event.type !== ack.event;
      });
      let chainFaults = 0;
      for (const stream of streams.keys())
        if (verifyChain(stream, await store.readStream(stream))) chainFaults++;

      const live = await dumpAll(reads);
      await rebuildReadModels(store, reads, READ_MODELS, { batchSize: 500 });
      const rebuilt = await dumpAll(reads);
      const documents = Object.values(live).reduce((n, docs) => n + docs.length, 0);
      const differing = READ_MODELS.map((m) => m.collection.name).filter(
        (name) => JSON.stringify(live[name]) !== JSON.stringify(rebuilt[name]),
      );

      printSummary(
        `crash: ${kills} kills (seed ${SEED}), ${acks.length} acknowledged commands, ${inFlightAtKill} requests in flight at the kills, ` +
          `${lost.length} lost, ${chainFaults} chain faults, ${all.length} events in ${streams.size} streams, ` +
          `read models ${differing.length === 0 ? '=' : '≠'} rebuild (${documents} documents)`,
      );
      expect(unexpected).toEqual([]);
      expect(lost).toEqual([]);
      expect(chainFaults).toBe(0);
      expect(rebuilt).toEqual(live);
      expect(acks.length).toBeGreaterThan(KILLS * 5);
    } finally {
      await reads.close();
      await store.close();
    }
  }, 240_000);
});
