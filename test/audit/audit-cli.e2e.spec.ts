import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Database from 'better-sqlite3';
import { systemClock } from '../../src/clock/clock';
import { EMBEDDED_STORE_FILE, SqliteEventStore } from '../../src/event-store/embedded/sqlite-event-store';
import { fileRecord } from '../support/filed-record';
import { people } from '../support/people';
import { plainRecord } from '../support/record-fixtures';
import { startTestApp } from '../support/test-app';

/** The built CLI (`bin/archive-ledger.js`): `verify` offline, and `audit verify-all` on a data directory. */
const CLI = path.resolve(__dirname, '../../bin/archive-ledger.js');
const record = plainRecord('Z001-WS-2024-D30-BGS-0001', 'INTERNAL');

function run(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}) {
  // No DATA_DIR and no configuration for `verify`: only what the test passes.
  const env: Record<string, string> = { PATH: process.env.PATH ?? '', LOG_LEVEL: 'silent', ...options.env };
  return spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd,
    env,
    encoding: 'utf8',
    timeout: 60_000,
  });
}

let dataDir: string;
let bundleText: string;
let verifierKey: string;
const temps: string[] = [];
const tempDir = () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-cli-'));
  temps.push(dir);
  return dir;
};

beforeAll(async () => {
  const t = await startTestApp({}, { keepData: true });
  dataDir = t.dataDir;
  await fileRecord(t, record);
  await t.request({
    method: 'POST',
    url: `/records/${record.archiveCode}/holds`,
    as: people.complianceOfficer,
    body: { kind: 'legal', reason: '涉诉' },
  });
  const exported = await t.request({
    method: 'GET',
    url: `/records/${record.archiveCode}/export`,
    as: people.auditor,
  });
  expect(exported.status).toBe(200);
  bundleText = JSON.stringify(exported.body, null, 2);
  verifierKey = (await t.request({ method: 'GET', url: '/audit/public-key', as: people.auditor })).body
    .current.verifierKey;
  await t.close();
}, 30_000);

afterAll(() => {
  for (const dir of [dataDir, ...temps]) fs.rmSync(dir, { recursive: true, force: true });
});

describe('archive-ledger verify <file> (offline)', () => {
  /** A copy of the bundle in a fresh directory of a "machine" that never saw the service. */
  function offlineCopy(text = bundleText): { dir: string; file: string } {
    const dir = tempDir();
    const file = path.join(dir, 'bundle.json');
    fs.writeFileSync(file, text);
    return { dir, file };
  }

  it('verifies a copied bundle with no data directory and no service, pinning the published key: exit 0, verdict and facts', () => {
    const { dir } = offlineCopy();
    const result = run(['verify', 'bundle.json', '--key', verifierKey], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(
      /^VERIFIED\n {2}key: archive-ledger\.local\/log\+[0-9a-f]{8}, public key fingerprint SHA-256:[0-9a-f]{64}\n {7}\(the key you pinned with --key\)/,
    );
    expect(result.stdout).toContain(`Proven: the history of record ${record.archiveCode}`);
    expect(result.stdout).toMatch(/2 events, revisions 0 to 1 of record-Z001-WS-2024-D30-BGS-0001/);
    expect(result.stdout).toMatch(/ {4}1 +\d+ +\S+ +HoldPlaced +xu\.he \(LEGAL\)/);
    expect(fs.readdirSync(dir)).toEqual(['bundle.json']);
  });

  it('without --key, says the key came from the bundle itself; --key may name a file', () => {
    const { dir } = offlineCopy();
    expect(run(['verify', 'bundle.json'], { cwd: dir }).stdout).toMatch(
      /WARNING: the key came from the bundle itself/,
    );
    fs.writeFileSync(path.join(dir, 'log.pub'), `${verifierKey}\n`);
    expect(run(['verify', 'bundle.json', '--key', 'log.pub'], { cwd: dir }).status).toBe(0);
  });

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach into arbitrary JSON
  type Json = any;
  const edits: [string, (b: Json) => void, RegExp][] = [
    [
      'one byte of the canonical bytes',
      (b) => {
        const bytes = Buffer.from(b.events[1].canonical, 'base64');
        bytes[bytes.indexOf('涉诉') + 1] ^= 1;
        b.events[1].canonical = bytes.toString('base64');
      },
      /events\[1\] \(record-Z001-WS-2024-D30-BGS-0001@1, position \d+\): hash: the canonical bytes hash to/,
    ],
    [
      'the hash',
      (b) => (b.events[0].hash = '0'.repeat(64)),
      /events\[0\] .*: hash: the canonical bytes hash to/,
    ],
    [
      'an inclusion proof',
      (b) => (b.events[0].inclusionProof = ['1'.repeat(64), ...b.events[0].inclusionProof.slice(1)]),
      /events\[0\] .*: inclusionProof: the proof fails/,
    ],
    [
      'the checkpoint note',
      (b) =>
        (b.checkpoint.note = b.checkpoint.note.replace(
          'archive-ledger.local/log\n',
          'archive-ledger.local/log\n\n',
        )),
      /checkpoint: note: the checkpoint signature is invalid/,
    ],
    [
      'the tree size',
      (b) => (b.checkpoint.treeSize += 1),
      /checkpoint: treeSize: is \d+, but the signed note is of tree size \d+/,
    ],
    [
      'the position',
      (b) => (b.events[1].position = String(Number(b.checkpoint.treeSize) + 5)),
      /position: is beyond the signed tree: the checkpoint's tree size \d+ is smaller than position \d+/,
    ],
    [
      'the order of events',
      (b) => b.events.reverse(),
      /events\[0\] .*: revision: the stream must start at revision 0/,
    ],
  ];
  it.each(edits)(
    'fails an edited bundle (%s): exit 1, naming the event and field',
    (_what, edit, expected) => {
      const bundle = JSON.parse(bundleText);
      edit(bundle);
      const { dir } = offlineCopy(JSON.stringify(bundle));
      const result = run(['verify', 'bundle.json', '--key', verifierKey], { cwd: dir });
      expect(result.status).toBe(1);
      expect(result.stdout).toMatch(/^NOT VERIFIED\n/);
      expect(result.stderr).toMatch(/^error: the bundle does not verify: /);
      expect(result.stderr).toMatch(expected);
    },
  );

  it('fails against another pinned key (key mismatch), a file that is not JSON (exit 1), and a missing file (exit 2)', () => {
    const { dir } = offlineCopy();
    const otherKey = 'archive-ledger.local/log+4b7b1273+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs';
    const mismatch = run(['verify', 'bundle.json', '--key', otherKey], { cwd: dir });
    expect(mismatch.status).toBe(1);
    expect(mismatch.stderr).toMatch(
      /checkpoint: verifierKey: key mismatch: the bundle names key archive-ledger\.local\/log\+[0-9a-f]{8} \(fingerprint [0-9a-f]{64}\), not the pinned key archive-ledger\.local\/log\+4b7b1273/,
    );
    fs.writeFileSync(path.join(dir, 'broken.json'), bundleText.slice(0, 100));
    const broken = run(['verify', 'broken.json'], { cwd: dir });
    expect(broken.status).toBe(1);
    expect(broken.stderr).toMatch(/bundle: \(file\): is not JSON/);
    const missing = run(['verify', 'nothing.json'], { cwd: dir });
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/cannot read nothing\.json/);
  });
});

describe('archive-ledger audit verify-all', () => {
  it('checks the whole store read-only with a progress bar: exit 0, and the file is unchanged', () => {
    const file = path.join(dataDir, EMBEDDED_STORE_FILE);
    const before = fs.readFileSync(file);
    const result = run(['audit', 'verify-all', '--key', verifierKey], { env: { DATA_DIR: dataDir } });
    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/^VERIFIED\n/);
    expect(result.stdout).toMatch(/keys trusted: [0-9a-f]{8} \(pinned with --key\)/);
    expect(result.stderr).toMatch(/verifying \[.*\] 100% \| \d+\/\d+ events/);
    expect(fs.readFileSync(file).equals(before)).toBe(true);
  });

  it('reports the first fault with stream, revision and position: exit 1', () => {
    const copy = tempDir();
    fs.cpSync(dataDir, copy, { recursive: true });
    const db = new Database(path.join(copy, EMBEDDED_STORE_FILE));
    db.exec('DROP TRIGGER events_are_never_updated');
    const row = db
      .prepare('SELECT global_position, canonical FROM events WHERE stream = ? AND revision = 1')
      .get(`record-${record.archiveCode}`) as { global_position: number; canonical: Buffer };
    const bytes = Buffer.from(row.canonical);
    bytes[bytes.indexOf('涉诉') + 1] ^= 1;
    db.prepare('UPDATE events SET canonical = ? WHERE global_position = ?').run(bytes, row.global_position);
    db.close();
    const result = run(['audit', 'verify-all', '--no-progress'], { env: { DATA_DIR: copy } });
    expect(result.status).toBe(1);
    expect(result.stdout).toMatch(/^FAULT\n/);
    expect(result.stderr).toBe(
      `error: FAULT in record-${record.archiveCode} at revision 1 (position ${row.global_position}): ${result.stdout.split('\n').slice(-2)[0].trim()}\n`,
    );
    expect(result.stderr).toMatch(/stored bytes do not match the stored hash/);
  });

  it('refuses to run while the service holds the embedded store, saying to stop it first: exit 2', () => {
    const holder = SqliteEventStore.open({ dataDir, clock: systemClock });
    try {
      const result = run(['audit', 'verify-all'], { env: { DATA_DIR: dataDir } });
      expect(result.status).toBe(2);
      expect(result.stderr).toMatch(/stop the service first/);
    } finally {
      void holder.close();
    }
  });
});
