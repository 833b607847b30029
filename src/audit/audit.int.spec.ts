import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { FixedClock } from '../clock/clock';
import { SqliteEventStore } from '../event-store/embedded/sqlite-event-store';
import type { ProposedEvent } from '../event-store/event-store.port';
import { people } from '../../test/support/people';
import { fileRecord } from '../../test/support/filed-record';
import { contractRecord, plainRecord } from '../../test/support/record-fixtures';
import { startTestApp, type TestApp, type TestUser } from '../../test/support/test-app';
import { rootFromLeafHashes, verifyConsistency, verifyInclusion, eventLeafHash } from './merkle';
import { SealerService } from './sealer/sealer.service';
import { Sealer } from './sealer/sealer';
import { SqliteSealStore } from './sealer/sqlite-seal-store';
import { generateSigner, openNote, parseVerifierKey, verifyCheckpoint } from './signed-note';
import { testedEvent } from '../../test/support/tested-event';

const hex = (h: string) => Buffer.from(h, 'hex');
const auditor = people.auditor;
const CODE = contractRecord.archiveCode;

async function sealNow(t: TestApp) {
  return t.app.get(SealerService).sealNow();
}

async function fileSome(t: TestApp, count: number, from = 1): Promise<string[]> {
  const codes: string[] = [];
  for (let i = from; i < from + count; i++) {
    const code = `Z001-WS-2024-D30-BGS-${String(100 + i).padStart(4, '0')}`;
    await fileRecord(t, plainRecord(code, 'INTERNAL'));
    codes.push(code);
  }
  return codes;
}

describe('audit sealer over the embedded store (docs/audit.md)', () => {
  let t: TestApp;
  beforeEach(async () => {
    t = await startTestApp();
  });
  afterEach(() => t.close());

  it('seals every event as a leaf and signs a checkpoint that verifies with the published key', async () => {
    await fileRecord(t, contractRecord);
    await fileSome(t, 4);
    const events = await t.store.readAll({ limit: 1000 });
    await sealNow(t);

    const keys = await t.request({ method: 'GET', url: '/audit/public-key', as: auditor });
    expect(keys.status).toBe(200);
    expect(keys.body.keys).toHaveLength(1);
    const verifier = parseVerifierKey(keys.body.current.verifierKey);

    const json = await t.request({ method: 'GET', url: '/audit/checkpoint', as: auditor });
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({ treeSize: events.length, keyId: keys.body.current.keyId });
    // The root is that of the events' hashes, leaf i = event at position i + 1.
    expect(json.body.rootHash).toBe(
      rootFromLeafHashes(events.map((e) => eventLeafHash(e.hash))).toString('hex'),
    );

    const text = await t.request({
      method: 'GET',
      url: '/audit/checkpoint',
      as: auditor,
      headers: { accept: 'text/plain' },
    });
    expect(text.headers['content-type']).toMatch(/^text\/plain/);
    expect(text.body).toBe(json.body.note);
    const checkpoint = verifyCheckpoint(text.body as string, [verifier]);
    expect(checkpoint).toMatchObject({ origin: 'archive-ledger.local/log', treeSize: events.length });
    expect(checkpoint.rootHash.toString('hex')).toBe(json.body.rootHash);
  });

  it('writes the signing key in the data directory, readable by its owner only', async () => {
    const file = path.join(t.dataDir, 'keys', 'checkpoint-signing.jwk.json');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('serves inclusion proofs that the pure verifier accepts against the signed root, for every event', async () => {
    await fileSome(t, 5);
    await sealNow(t);
    const checkpoint = (await t.request({ method: 'GET', url: '/audit/checkpoint', as: auditor })).body;
    const root = verifyCheckpoint(checkpoint.note, [parseVerifierKey(checkpoint.verifierKey)]).rootHash;
    for (const event of await t.store.readAll({ limit: 1000 })) {
      const answer = await t.request({
        method: 'GET',
        url: `/audit/proofs/inclusion?position=${event.position}`,
        as: auditor,
      });
      expect(answer.status).toBe(200);
      expect(answer.body).toMatchObject({ eventHash: event.hash, leafIndex: Number(event.position) - 1 });
      const proof = (answer.body.proof as string[]).map(hex);
      expect(
        verifyInclusion(answer.body.leafIndex, checkpoint.treeSize, eventLeafHash(event.hash), proof, root),
      ).toBe(true);
    }
  });

  it('serves consistency proofs between two signed checkpoints that the pure verifier accepts', async () => {
    await fileSome(t, 3);
    const first = await sealNow(t);
    await fileSome(t, 4, 10);
    const second = await sealNow(t);
    const answer = await t.request({
      method: 'GET',
      url: `/audit/proofs/consistency?from=${first?.treeSize}&to=${second?.treeSize}`,
      as: auditor,
    });
    expect(answer.status).toBe(200);
    expect(
      verifyConsistency(
        first!.treeSize,
        second!.treeSize,
        (answer.body.proof as string[]).map(hex),
        first!.rootHash,
        second!.rootHash,
      ),
    ).toBe(true);
    const list = await t.request({ method: 'GET', url: '/audit/checkpoints?limit=1', as: auditor });
    expect(list.body.items.map((c: { treeSize: number }) => c.treeSize)).toEqual([first!.treeSize]);
    const next = await t.request({
      method: 'GET',
      url: `/audit/checkpoints?cursor=${list.body.nextCursor}`,
      as: auditor,
    });
    expect(next.body.items.map((c: { treeSize: number }) => c.treeSize)).toEqual([second!.treeSize]);
  });

  it('refuses proofs of trees not built yet with 400 TREE_SIZE_OUT_OF_RANGE, and bad parameters with 400', async () => {
    await fileSome(t, 2);
    await sealNow(t);
    const size = t.app.get(SealerService).running().treeSize;
    const beyond = await t.request({
      method: 'GET',
      url: `/audit/proofs/consistency?from=1&to=${size + 5}`,
      as: auditor,
    });
    expect(beyond.status).toBe(400);
    expect(beyond.body.error).toBe('TREE_SIZE_OUT_OF_RANGE');
    const bad = await t.request({ method: 'GET', url: '/audit/proofs/inclusion?position=abc', as: auditor });
    expect(bad.status).toBe(400);
    expect(bad.body.fields.map((f: { field: string }) => f.field)).toEqual(['position']);
    // A position that is not a sealed leaf (none there yet; a commit/prepare pair on this store): 404.
    for (const position of ['999999', '12/12']) {
      const none = await t.request({
        method: 'GET',
        url: `/audit/proofs/inclusion?position=${encodeURIComponent(position)}`,
        as: auditor,
      });
      expect(none.status).toBe(404);
      expect(none.body.error).toBe('EVENT_NOT_FOUND');
    }
  });

  it('verifies a record stream: chain and inclusion; events after the checkpoint are unsealed, not faults', async () => {
    await fileRecord(t, contractRecord);
    await sealNow(t);
    await t.request({
      method: 'POST',
      url: `/records/${CODE}/holds`,
      as: people.complianceOfficer,
      body: { kind: 'legal', reason: '诉讼保全' },
    });
    const stream = `record-${CODE}`;
    const answer = await t.request({ method: 'GET', url: `/audit/verify?stream=${stream}`, as: auditor });
    expect(answer.status).toBe(200);
    const revisions = (await t.store.readStream(stream)).length;
    expect(answer.body).toMatchObject({
      stream,
      verified: true,
      events: revisions,
      sealedEvents: 1,
      fault: null,
    });
    expect(answer.body.unsealedEvents).toBe(revisions - 1);
  });

  it('names the stream, revision and problem when a sealed event was rewritten with a matching hash', async () => {
    await fileRecord(t, contractRecord);
    await sealNow(t);
    const stream = `record-${CODE}`;
    // Someone with the file rewrites the event's bytes and recomputes its hash, so the chain still holds.
    const [event] = await t.store.readStream(stream);
    const forged = Buffer.from(
      Buffer.from(event.canonical).toString('utf8').replace('关于2024年度', '关于2023年度'),
    );
    const { hashCanonical } = await import('../event-store/envelope');
    const db = t.store.connection;
    db.exec('DROP TRIGGER events_are_never_updated');
    db.prepare('UPDATE events SET canonical = ?, hash = ? WHERE global_position = ?').run(
      forged,
      hashCanonical(forged),
      Number(event.position),
    );
    const answer = await t.request({ method: 'GET', url: `/audit/verify?stream=${stream}`, as: auditor });
    expect(answer.status).toBe(200);
    expect(answer.body.verified).toBe(false);
    expect(answer.body.fault).toMatchObject({ stream, revision: 0 });
    expect(answer.body.fault.problem).toMatch(/not in the signed checkpoint/);
  });

  it('names the first broken link when stored bytes no longer match their hash', async () => {
    await fileRecord(t, contractRecord);
    await sealNow(t);
    const stream = `record-${CODE}`;
    const [event] = await t.store.readStream(stream);
    const db = t.store.connection;
    db.exec('DROP TRIGGER events_are_never_updated');
    db.prepare('UPDATE events SET canonical = ? WHERE global_position = ?').run(
      Buffer.from(Buffer.from(event.canonical).toString('utf8').replace('续签', '终止')),
      Number(event.position),
    );
    const answer = await t.request({ method: 'GET', url: `/audit/verify?stream=${stream}`, as: auditor });
    expect(answer.body).toMatchObject({ verified: false, fault: { stream, revision: 0 } });
    expect(answer.body.fault.problem).toMatch(/stored bytes do not match the stored hash/);
  });

  it('A2: answers 404 for a record stream above the caller’s clearance, as if it did not exist', async () => {
    const secret = 'Z001-WS-2024-D30-BGS-0301';
    await fileRecord(t, plainRecord(secret, 'CONFIDENTIAL'), people.archivist2);
    await sealNow(t);
    const lowAuditor: TestUser = {
      user: 'low.auditor',
      roles: ['auditor'],
      unit: 'AUDIT',
      clearance: 'INTERNAL',
    };
    const hidden = await t.request({
      method: 'GET',
      url: `/audit/verify?stream=record-${secret}`,
      as: lowAuditor,
    });
    expect(hidden.status).toBe(404);
    expect(hidden.body.error).toBe('STREAM_NOT_FOUND');
    const position = (await t.store.readStream(`record-${secret}`))[0].position;
    const proof = await t.request({
      method: 'GET',
      url: `/audit/proofs/inclusion?position=${position}`,
      as: lowAuditor,
    });
    expect(proof.status).toBe(404);
    expect(
      (await t.request({ method: 'GET', url: `/audit/verify?stream=record-${secret}`, as: auditor })).status,
    ).toBe(200);
  });

  it('answers 404 STREAM_NOT_FOUND for a stream that does not exist, and 403 to a borrower', async () => {
    const missing = await t.request({ method: 'GET', url: '/audit/verify?stream=record-NOPE', as: auditor });
    expect(missing.status).toBe(404);
    const borrower = await t.request({
      method: 'GET',
      url: '/audit/verify?stream=record-NOPE',
      as: people.salesperson,
    });
    expect(borrower.status).toBe(403);
    expect(borrower.body.code).toBe('ROLE_REQUIRED');
  });

  it('rotates the key: a SealingKeyRotated event, a new key id, and old checkpoints still verify with the old key', async () => {
    await fileSome(t, 2);
    const old = await sealNow(t);
    const before = await t.eventCount();
    const rotated = await t.request({
      method: 'POST',
      url: '/audit/keys/rotation',
      as: people.administrator,
      body: { reason: '年度密钥轮换' },
    });
    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({
      stream: 'sealer-keys',
      events: ['SealingKeyRotated'],
      previousKeyId: old!.keyId,
    });
    expect(rotated.body.keyId).not.toBe(old!.keyId);
    expect(await t.eventCount()).toBe(before + 1);
    const [event] = await t.store.readStream('sealer-keys');
    expect(event.data).toMatchObject({
      reason: '年度密钥轮换',
      rotatedBy: { id: people.administrator.user },
    });

    await fileSome(t, 1, 20);
    await sealNow(t);
    const latest = (await t.request({ method: 'GET', url: '/audit/checkpoint', as: auditor })).body;
    expect(latest.keyId).toBe(rotated.body.keyId);

    const keys = (await t.request({ method: 'GET', url: '/audit/public-key', as: auditor })).body;
    expect(keys.keys.map((k: { keyId: string; status: string }) => [k.keyId, k.status])).toEqual([
      [old!.keyId, 'retired'],
      [rotated.body.keyId, 'current'],
    ]);
    const [oldKey, newKey] = keys.keys.map((k: { verifierKey: string }) => parseVerifierKey(k.verifierKey));
    expect(verifyCheckpoint(old!.note, [oldKey, newKey]).treeSize).toBe(old!.treeSize);
    expect(() => openNote(old!.note, [newKey])).toThrow(/no signature by a known key/);
    expect(verifyCheckpoint(latest.note, [oldKey, newKey]).treeSize).toBe(latest.treeSize);
    // Verification opens old and new checkpoints alike.
    const verified = await t.request({ method: 'GET', url: `/audit/verify?stream=sealer-keys`, as: auditor });
    expect(verified.body.verified).toBe(true);
  });

  it('refuses a rotation without a reason with 400 and writes nothing', async () => {
    await fileSome(t, 1);
    await sealNow(t);
    const before = await t.eventCount();
    const refused = await t.request({
      method: 'POST',
      url: '/audit/keys/rotation',
      as: people.administrator,
      body: {},
    });
    expect(refused.status).toBe(400);
    expect(refused.body.fields.map((f: { field: string }) => f.field)).toEqual(['reason']);
    expect(await t.eventCount()).toBe(before);
  });

  it('shows the sealer on /health/ready and /metrics', async () => {
    await fileSome(t, 2);
    await sealNow(t);
    const ready = await t.request({ method: 'GET', url: '/health/ready' });
    expect(ready.body.sealer).toMatchObject({
      state: 'following',
      treeSize: 2,
      lagEvents: 0,
      unsignedLeaves: 0,
    });
    const metrics = await t.request({ method: 'GET', url: '/metrics' });
    expect(metrics.body).toMatch(/archive_ledger_seal_tree_size 2/);
  });
});

describe('the sealer itself (restart, batching)', () => {
  const clock = new FixedClock(new Date('2026-03-01T09:00:00.000Z'));
  const proposed = (i: number): ProposedEvent => testedEvent(i, clock);

  it('resumes after a restart from its stored edge, without duplicating leaves, and reaches the same root', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-seal-'));
    const signer = generateSigner('test/log');
    const options = { origin: 'test/log', batchSize: 7, everyEvents: 10 };
    try {
      let store = SqliteEventStore.open({ dataDir, clock });
      for (let i = 0; i < 23; i++)
        await store.append(`s-${i % 3}`, [proposed(i)], { expectedRevision: 'any' });
      let sealer = new Sealer(store, SqliteSealStore.open(store), signer, clock, options);
      await sealer.init();
      expect(await sealer.catchUp()).toBe(23);
      expect(sealer.latestCheckpoint?.treeSize).toBe(14); // 10 unsigned leaves or more, checked after each batch of 7
      await store.close();

      store = SqliteEventStore.open({ dataDir, clock });
      for (let i = 23; i < 40; i++)
        await store.append(`s-${i % 3}`, [proposed(i)], { expectedRevision: 'any' });
      sealer = new Sealer(store, SqliteSealStore.open(store), signer, clock, options);
      await sealer.init();
      expect(sealer.treeSize).toBe(23);
      expect(await sealer.catchUp()).toBe(17);
      expect(await sealer.catchUp()).toBe(0);
      const all = await store.readAll({ limit: 1000 });
      const nodes = store.connection
        .prepare('SELECT count(*) AS n FROM seal_nodes WHERE level = 0')
        .get() as {
        n: number;
      };
      expect(nodes.n).toBe(40);
      expect(await sealer.rootAt(40)).toEqual(rootFromLeafHashes(all.map((e) => eventLeafHash(e.hash))));
      const signed = await sealer.checkpoint();
      expect(verifyCheckpoint(signed!.note, [parseVerifierKey(signed!.verifierKey)]).rootHash).toEqual(
        await sealer.rootAt(40),
      );
      await store.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('refuses to seal an event whose stored bytes do not match its hash, and stores nothing of that batch', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'al-seal-'));
    try {
      const store = SqliteEventStore.open({ dataDir, clock });
      for (let i = 0; i < 5; i++) await store.append('s', [proposed(i)], { expectedRevision: 'any' });
      store.connection.exec('DROP TRIGGER events_are_never_updated');
      store.connection
        .prepare("UPDATE events SET canonical = CAST('{}' AS BLOB) WHERE global_position = 4")
        .run();
      const sealer = new Sealer(store, SqliteSealStore.open(store), generateSigner('t/log'), clock, {
        origin: 't/log',
        batchSize: 100,
        everyEvents: 1000,
      });
      await sealer.init();
      await expect(sealer.catchUp()).rejects.toThrow(/\(position 4\) do not match its stored hash/);
      expect(sealer.treeSize).toBe(0);
      await store.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
