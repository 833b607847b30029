import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { openStoreReadOnly, verifyAll, type VerifyAllReport } from '../../src/audit/verify-all/verify-all';
import { SealerService } from '../../src/audit/sealer/sealer.service';
import { EMBEDDED_STORE_FILE } from '../../src/event-store/embedded/sqlite-event-store';
import { sealEvent, type HashedDocument } from '../../src/event-store/envelope';
import { fileRecord } from '../support/filed-record';
import { people } from '../support/people';
import { plainRecord } from '../support/record-fixtures';
import { startTestApp } from '../support/test-app';
import { startAppOn } from './support/app-on-data-dir';

/**
 * Tamper tests on the embedded store's file, as an attacker with write access to it would do them:
 * drop the triggers that refuse UPDATE and DELETE, then edit rows with SQLite directly. Each change
 * must be detected by `verify-all` (and by GET /audit/verify for the stream where relevant), and
 * pinpointed: stream, revision, position and what is wrong. The last two are caught only against a
 * checkpoint signed before the change.
 */
const [r1, r2, r3] = [1, 2, 3].map((n) =>
  plainRecord(`Z001-WS-2024-D30-BGS-${String(n).padStart(4, '0')}`, 'INTERNAL'),
);
const stream = (code: string) => `record-${code}`;

let pristine: string;
let verifierKey: string;
let earlierNote: string;
const copies: string[] = [];

interface Row {
  global_position: number;
  stream: string;
  revision: number;
  hash: string;
  prev_hash: string;
  canonical: Buffer;
}

function tamperedCopy(attack: (db: Database.Database) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-tamper-'));
  copies.push(dir);
  fs.cpSync(pristine, dir, { recursive: true });
  const db = new Database(path.join(dir, EMBEDDED_STORE_FILE));
  // The attacker removes the store's defences first.
  for (const trigger of [
    'events_are_never_updated',
    'events_are_never_deleted',
    'events_follow_stream_head',
    'seal_nodes_are_never_updated',
    'seal_nodes_are_never_deleted',
    'seal_checkpoints_are_never_updated',
    'seal_checkpoints_are_never_deleted',
  ]) {
    db.exec(`DROP TRIGGER IF EXISTS ${trigger}`);
  }
  attack(db);
  db.close();
  return dir;
}

function check(dir: string, options: Parameters<typeof verifyAll>[1] = {}): VerifyAllReport {
  const db = openStoreReadOnly(dir);
  try {
    return verifyAll(db, { pinnedKeys: [verifierKey], ...options });
  } finally {
    db.close();
  }
}

const rowsOf = (db: Database.Database, s: string) =>
  db.prepare<[string], Row>('SELECT * FROM events WHERE stream = ? ORDER BY revision').all(s);

async function httpVerify(dir: string, streamName: string) {
  const app = await startAppOn(dir);
  try {
    return await app.get(`/audit/verify?stream=${encodeURIComponent(streamName)}`, people.auditor);
  } finally {
    await app.close();
  }
}

beforeAll(async () => {
  const t = await startTestApp({}, { keepData: true });
  pristine = t.dataDir;
  for (const record of [r1, r2, r3]) await fileRecord(t, record);
  const hold = { kind: 'legal', reason: '涉诉' };
  expect(
    (
      await t.request({
        method: 'POST',
        url: `/records/${r1.archiveCode}/holds`,
        as: people.complianceOfficer,
        body: hold,
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await t.request({
        method: 'POST',
        url: `/records/${r2.archiveCode}/holds`,
        as: people.complianceOfficer,
        body: hold,
      })
    ).status,
  ).toBe(201);
  expect(
    (
      await t.request({
        method: 'POST',
        url: `/records/${r1.archiveCode}/holds`,
        as: people.auditor,
        body: { kind: 'audit', reason: '审计' },
      })
    ).status,
  ).toBe(201);
  await t.app.get(SealerService).sealNow();
  const note = await t.request({ method: 'GET', url: '/audit/checkpoint?format=note', as: people.auditor });
  earlierNote = note.body as string;
  const keys = await t.request({ method: 'GET', url: '/audit/public-key', as: people.auditor });
  verifierKey = keys.body.current.verifierKey;
  await t.close();
}, 30_000);

afterAll(() => {
  for (const dir of [pristine, ...copies]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('tamper detection on the embedded store (verify-all, GET /audit/verify)', () => {
  it('verifies the untouched store: every chain, the tree against every checkpoint, with the pinned key', () => {
    const report = check(pristine);
    expect(report.fault).toBeNull();
    expect(report).toMatchObject({ verified: true, keys: { source: 'pinned' } });
    expect(report.events).toBeGreaterThanOrEqual(6);
    expect(report.checkpointsVerified).toBeGreaterThanOrEqual(1);
    expect(report.latestCheckpoint?.treeSize).toBe(report.events);
  });

  it('one byte of one event changed: its stream and revision, stored bytes vs stored hash', async () => {
    const dir = tamperedCopy((db) => {
      const [, second] = rowsOf(db, stream(r1.archiveCode));
      const bytes = Buffer.from(second.canonical);
      const at = bytes.indexOf('涉诉');
      bytes[at + 1] ^= 0x01; // still UTF-8 JSON: a character of the reason changed
      db.prepare('UPDATE events SET canonical = ? WHERE global_position = ?').run(
        bytes,
        second.global_position,
      );
    });
    const report = check(dir);
    expect(report.fault).toMatchObject({ stream: stream(r1.archiveCode), revision: 1 });
    expect(report.fault?.problem).toMatch(/^stored bytes do not match the stored hash/);
    const http = await httpVerify(dir, stream(r1.archiveCode));
    expect(http.status).toBe(200);
    expect(http.body).toMatchObject({
      verified: false,
      fault: { stream: stream(r1.archiveCode), revision: 1 },
    });
    expect(http.body.fault.problem).toMatch(/stored bytes do not match the stored hash/);
  });

  it('one byte of one event changed so that its bytes are no longer JSON: verify-all names it, the API answers 503 INTEGRITY_FAULT, never 500', async () => {
    let position = 0;
    const dir = tamperedCopy((db) => {
      const [, second] = rowsOf(db, stream(r1.archiveCode));
      position = second.global_position;
      const bytes = Buffer.from(second.canonical);
      bytes[0] = 0x7a; // '{' becomes 'z'
      db.prepare('UPDATE events SET canonical = ? WHERE global_position = ?').run(bytes, position);
    });
    const report = check(dir);
    expect(report.verified).toBe(false);
    expect(report.fault).toMatchObject({ stream: stream(r1.archiveCode), revision: 1 });
    const http = await httpVerify(dir, stream(r1.archiveCode));
    expect(http.status).toBe(503);
    expect(http.body).toMatchObject({ error: 'INTEGRITY_FAULT' });
    expect(http.body.message).toContain(`position ${position}`);
  });

  it('an event deleted: the missing position, and the stream and revision it leaves out', async () => {
    let position = 0;
    const dir = tamperedCopy((db) => {
      const [, second] = rowsOf(db, stream(r1.archiveCode));
      position = second.global_position;
      db.prepare('DELETE FROM events WHERE global_position = ?').run(position);
    });
    const report = check(dir);
    expect(report.fault).toMatchObject({
      stream: stream(r1.archiveCode),
      revision: 1,
      position: String(position),
    });
    expect(report.fault?.problem).toMatch(
      new RegExp(
        `^event deleted: position ${position} is missing from the global order .* and ${stream(r1.archiveCode)} has no revision 1`,
      ),
    );
    const http = await httpVerify(dir, stream(r1.archiveCode));
    expect(http.body).toMatchObject({
      verified: false,
      fault: { stream: stream(r1.archiveCode), revision: 1 },
    });
    expect(http.body.fault.problem).toMatch(/expected revision 1, found revision 2/);
  });

  it('two events of one stream reordered (positions swapped): the stream and the revision out of order', async () => {
    const dir = tamperedCopy((db) => {
      const [, second, third] = rowsOf(db, stream(r1.archiveCode));
      const swap = db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?');
      swap.run(-1, second.global_position);
      swap.run(second.global_position, third.global_position);
      swap.run(third.global_position, -1);
    });
    const report = check(dir);
    expect(report.fault).toMatchObject({ stream: stream(r1.archiveCode), revision: 1 });
    expect(report.fault?.problem).toMatch(
      /^expected revision 1, found revision 2 \(missing or reordered event\)/,
    );
  });

  it('two events of different streams reordered: the chains still hold, the signed tree names the moved event', () => {
    let moved = { position: 0, stream: '', revision: 0 };
    const dir = tamperedCopy((db) => {
      const [a] = rowsOf(db, stream(r2.archiveCode));
      const [b] = rowsOf(db, stream(r3.archiveCode));
      const swap = db.prepare('UPDATE events SET global_position = ? WHERE global_position = ?');
      swap.run(-1, a.global_position);
      swap.run(a.global_position, b.global_position);
      swap.run(b.global_position, -1);
      moved = { position: a.global_position, stream: b.stream, revision: b.revision };
    });
    const report = check(dir);
    expect(report.fault).toMatchObject({
      stream: moved.stream,
      revision: moved.revision,
      position: String(moved.position),
    });
    expect(report.fault?.problem).toMatch(
      new RegExp(
        `^the event at position ${moved.position} is not the one the signed tree holds at leaf ${moved.position - 1} .*replaced, moved or forged`,
      ),
    );
  });

  it('the tail truncated: detected against the checkpoint signed before, naming the deleted positions', () => {
    let head = 0;
    const dir = tamperedCopy((db) => {
      head = (db.prepare('SELECT max(global_position) AS p FROM events').get() as { p: number }).p;
      db.prepare('DELETE FROM events WHERE global_position > ?').run(head - 2);
    });
    const report = check(dir);
    expect(report.fault?.position).toBe(String(head - 1));
    expect(report.fault?.problem).toMatch(
      new RegExp(
        `^truncated: the store ends at position ${head - 2} \\(.+@\\d+\\), but checkpoint #\\d+ .* covers ${head} events: positions ${head - 1}–${head} were deleted`,
      ),
    );
  });

  it('the tail truncated and the seal tables rolled back too: the checkpoint kept outside the store still catches it', () => {
    let head = 0;
    const dir = tamperedCopy((db) => {
      head = (db.prepare('SELECT max(global_position) AS p FROM events').get() as { p: number }).p;
      db.prepare('DELETE FROM events WHERE global_position > ?').run(head - 2);
      db.exec('DELETE FROM seal_checkpoints; DELETE FROM seal_nodes; DELETE FROM seal_state;');
    });
    expect(check(dir).verified).toBe(true); // the store alone is now self-consistent …
    const report = check(dir, {
      externalCheckpoints: [{ label: 'the checkpoint kept by the auditor', note: earlierNote }],
    });
    expect(report.fault?.problem).toMatch(
      new RegExp(
        `^truncated: the store ends at position ${head - 2} .*, but the checkpoint kept by the auditor covers ${head} events`,
      ),
    );
  });

  it('a stream replaced wholesale with a self-consistent forged chain: the signed tree names its first forged event', async () => {
    let first = 0;
    const dir = tamperedCopy((db) => {
      let prevHash = '0'.repeat(64);
      for (const row of rowsOf(db, stream(r2.archiveCode))) {
        const doc = JSON.parse(row.canonical.toString('utf8')) as HashedDocument;
        const data = doc.type === 'ArchiveFiled' ? { ...doc.data, title: '伪造的题名' } : doc.data;
        const { recordedAt, prevHash: _old, ...metadata } = doc.metadata;
        void _old;
        const forged = sealEvent(
          doc.stream,
          doc.revision,
          prevHash,
          { eventId: doc.eventId, type: doc.type, data, metadata },
          recordedAt,
        );
        db.prepare('UPDATE events SET canonical = ?, hash = ?, prev_hash = ? WHERE global_position = ?').run(
          forged.canonical,
          forged.hash,
          prevHash,
          row.global_position,
        );
        prevHash = forged.hash;
        first ||= row.global_position;
      }
    });
    const report = check(dir);
    expect(report.fault).toMatchObject({
      stream: stream(r2.archiveCode),
      revision: 0,
      position: String(first),
    });
    expect(report.fault?.problem).toMatch(
      /is not the one the signed tree holds at leaf .*replaced, moved or forged after it was sealed/,
    );
    const http = await httpVerify(dir, stream(r2.archiveCode));
    expect(http.body).toMatchObject({
      verified: false,
      fault: { stream: stream(r2.archiveCode), revision: 0 },
    });
    expect(http.body.fault.problem).toMatch(/is not in the signed checkpoint of size/);
  });

  it('a stored checkpoint whose signed note was edited is refused, naming the checkpoint', () => {
    const dir = tamperedCopy((db) => {
      db.prepare("UPDATE seal_checkpoints SET note = replace(note, '—', '-')").run();
    });
    const report = check(dir);
    expect(report.fault?.problem).toMatch(/^checkpoint #1 .*: the signed note does not verify/);
  });
});
