import {
  EVENT_HASH_DOMAIN_TAG as NODE_TAG,
  GENESIS_HASH as NODE_GENESIS,
} from '../../../event-store/envelope';
import { hashLeaf as nodeHashLeaf } from '../../merkle';
import rfc6962Vectors from '../../merkle/testdata/rfc6962-merkle.json';
import proofVectors from '../../merkle/testdata/transparency-dev-proofs.json';
import { generateSigner } from '../../signed-note';
import {
  ENOCH_SIG,
  ENOCH_VKEY,
  PETER_SIG,
  PETER_VKEY,
  TEXT,
} from '../../signed-note/note-vectors.spec-helper';
import {
  CODE,
  LIST_ID,
  ORIGIN,
  OTHER_CODE,
  SyntheticLog,
  destroyedRecordLog,
  notDestroyedLog,
  recordExportLog,
} from '../bundle.spec-helper';
import { verdictText } from '../verdict-text';
import { verifyBundle } from '../verify-bundle';
import { fromCanonicalBase64, fromHex, toBase64, toHex } from './bytes';
import { hashLeaf, inclusionProblem } from './merkle.web';
import { NoteError, NoteKeyError, openNote, parseVerifierKey, verifyCheckpoint } from './signed-note.web';
import {
  EVENT_HASH_DOMAIN_TAG,
  GENESIS_HASH,
  verifyBundleWeb,
  type BundleVerdict,
} from './verify-bundle.web';

/**
 * The browser verifier (Web Crypto) and the command line's (node:crypto) must say the same thing
 * about every bundle: the same verdict, the same problem (where, which field, what), the same key,
 * checkpoint and facts. Both run here over the valid bundles and every tamper case of
 * verify-bundle.spec.ts, then over a sweep of one-character edits of a certificate.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach into arbitrary JSON
type Json = any;
const clone = (bundle: unknown): Json => JSON.parse(JSON.stringify(bundle));

function flipByte(base64: string, index: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index] ^= 0x01;
  return bytes.toString('base64');
}

/** Both verdicts; the web one must also print as the CLI's (verdictText takes either). */
async function bothAgree(bundle: unknown, pinnedKey?: string): Promise<BundleVerdict> {
  const options = pinnedKey === undefined ? {} : { pinnedKey };
  const cli = verifyBundle(bundle, options);
  const web = await verifyBundleWeb(bundle, options);
  expect(web).toEqual(cli);
  expect(verdictText(web)).toBe(verdictText(cli));
  return web;
}

describe('the browser verifier agrees with the command line verifier', () => {
  it('uses the envelope’s domain tag and genesis hash', () => {
    expect(EVENT_HASH_DOMAIN_TAG).toBe(NODE_TAG);
    expect(GENESIS_HASH).toBe(NODE_GENESIS);
  });

  describe('a record export', () => {
    const log = recordExportLog();
    const bundle = log.bundle('record-export', [`record-${CODE}`]);

    it('verifies a valid export alike, with the pinned key and without one', async () => {
      const pinned = await bothAgree(bundle, log.verifierKey);
      expect(pinned.verified).toBe(true);
      expect(pinned.key?.source).toBe('pinned');
      const carried = await bothAgree(bundle);
      expect(carried.key?.source).toBe('bundle');
    });

    it('verifies the previous format (version 1: leaf = position − 1) and EventStoreDB positions alike', async () => {
      expect(
        (await bothAgree(log.bundle('record-export', [`record-${CODE}`], { version: 1 }), log.verifierKey))
          .verified,
      ).toBe(true);
      const esdb = log.bundle('record-export', [`record-${CODE}`], { eventStoreDbPositions: true });
      expect((await bothAgree(esdb, log.verifierKey)).verified).toBe(true);
      const swapped = clone(esdb);
      [swapped.events[1].position, swapped.events[2].position] = [
        swapped.events[2].position,
        swapped.events[1].position,
      ];
      expect((await bothAgree(swapped, log.verifierKey)).verified).toBe(false);
    });

    it('refuses a key mismatch, an impostor’s bundle, a garbage pinned key alike', async () => {
      const other = new SyntheticLog(generateSigner(ORIGIN));
      expect((await bothAgree(bundle, other.verifierKey)).problem?.message).toMatch(/^key mismatch/);
      const impostor = new SyntheticLog(generateSigner(ORIGIN));
      for (const e of log.events) impostor.append(e.stream, e.type, { forged: true });
      await bothAgree(impostor.bundle('record-export', [`record-${CODE}`]), log.verifierKey);
      expect((await bothAgree(bundle, 'not a key')).problem?.at).toBe('--key');
      await bothAgree(bundle, `  ${log.verifierKey}\n`);
    });

    // Every edit of verify-bundle.spec.ts's record export table.
    const edits: [string, (b: Json) => void][] = [
      ['format', (b) => (b.format = 'something/else')],
      ['version', (b) => (b.version = 3)],
      ['version 1 with leafIndex', (b) => (b.version = 1)],
      ['kind', (b) => (b.kind = 'destruction-certificate')],
      ['archiveCode', (b) => (b.archiveCode = 'Z001-WS-2010-D10-SALES-0009')],
      ['an added field', (b) => (b.comment = 'hi')],
      ['listId on an export', (b) => (b.listId = LIST_ID)],
      ['checkpoint.note text', (b) => (b.checkpoint.note = b.checkpoint.note.replace(/\n4\n/, '\n5\n'))],
      [
        'checkpoint.note signature',
        (b) =>
          (b.checkpoint.note = b.checkpoint.note.replace(
            / (\S)(\S+)\n$/,
            (_m: string, c: string, rest: string) =>
              ` ${c}${rest.slice(0, 10)}${rest[10] === 'A' ? 'B' : 'A'}${rest.slice(11)}\n`,
          )),
      ],
      [
        'checkpoint.note origin',
        (b) => (b.checkpoint.note = b.checkpoint.note.replace(/^archive-ledger/, 'other')),
      ],
      ['checkpoint.note with a control character', (b) => (b.checkpoint.note = `\u0001${b.checkpoint.note}`)],
      [
        'checkpoint.note without signatures',
        (b) => (b.checkpoint.note = b.checkpoint.note.split('\n\n')[0] + '\n'),
      ],
      ['checkpoint.treeSize', (b) => (b.checkpoint.treeSize = 5)],
      ['checkpoint.treeSize not a number', (b) => (b.checkpoint.treeSize = '4')],
      [
        'checkpoint.verifierKey (another key)',
        (b) => (b.checkpoint.verifierKey = new SyntheticLog().verifierKey),
      ],
      ['checkpoint.verifierKey (garbage)', (b) => (b.checkpoint.verifierKey = 'nonsense')],
      [
        'checkpoint.verifierKey (bad base64)',
        (b) => (b.checkpoint.verifierKey = b.checkpoint.verifierKey.slice(0, -1) + '*'),
      ],
      ['checkpoint removed', (b) => delete b.checkpoint],
      [
        'one byte of an event’s canonical bytes',
        (b) => (b.events[1].canonical = flipByte(b.events[1].canonical, 40)),
      ],
      ['canonical bytes that are not base64', (b) => (b.events[0].canonical = '%%%')],
      [
        'canonical bytes with a trailing newline',
        (b) => (b.events[0].canonical = `${b.events[0].canonical}\n`),
      ],
      [
        'canonical bytes that are not JSON',
        (b) => (b.events[0].canonical = Buffer.from('not json').toString('base64')),
      ],
      ['an event’s hash', (b) => (b.events[2].hash = 'ab'.repeat(32))],
      ['an event’s stream', (b) => (b.events[1].stream = 'record-OTHER')],
      ['an event’s revision', (b) => (b.events[1].revision = 5)],
      ['an event’s position', (b) => (b.events[1].position = '2')],
      ['an event’s leafIndex', (b) => (b.events[1].leafIndex = 1)],
      [
        'an event’s leafIndex and position together',
        (b) => {
          b.events[1].leafIndex = 1;
          b.events[1].position = '2';
        },
      ],
      ['a leafIndex beyond the tree', (b) => (b.events[2].leafIndex = 9)],
      ['a leafIndex removed', (b) => delete b.events[0].leafIndex],
      ['a leafIndex that is not a number', (b) => (b.events[0].leafIndex = '0')],
      ['a position beyond the tree', (b) => (b.events[2].position = '9')],
      ['a position that is not one', (b) => (b.events[0].position = '0')],
      ['an inclusion proof element', (b) => (b.events[0].inclusionProof[1] = 'cd'.repeat(32))],
      ['an inclusion proof cut short', (b) => b.events[0].inclusionProof.pop()],
      ['an inclusion proof too long', (b) => b.events[0].inclusionProof.push('cd'.repeat(32))],
      ['an inclusion proof that is not hex', (b) => (b.events[0].inclusionProof[0] = 'zz')],
      ['an event deleted from the middle', (b) => b.events.splice(1, 1)],
      ['the first event deleted', (b) => b.events.shift()],
      ['two events swapped', (b) => ([b.events[1], b.events[2]] = [b.events[2], b.events[1]])],
      ['an event duplicated', (b) => b.events.push(b.events[2])],
      ['every event removed', (b) => (b.events = [])],
      [
        'a record event withheld',
        (b) => {
          b.events[1].withheld = 'x';
          delete b.events[1].canonical;
        },
      ],
      ['canonical and withheld both', (b) => (b.events[1].withheld = 'x')],
      ['an unknown event field', (b) => (b.events[0].note = 'x')],
      ['an event that is not an object', (b) => (b.events[0] = 'x')],
    ];
    it.each(edits)('refuses alike when %s is edited', async (_what, edit) => {
      const edited = clone(bundle);
      edit(edited);
      const verdict = await bothAgree(edited, log.verifierKey);
      expect(verdict.verified).toBe(false);
      await bothAgree(edited);
    });

    it('refuses alike bytes re-hashed to match a rewritten event', async () => {
      const forged = new SyntheticLog(log.signer);
      forged.append(`record-${CODE}`, 'ArchiveFiled', {
        archiveCode: CODE,
        title: '伪造',
        classification: 'INTERNAL',
      });
      const edited = clone(bundle);
      edited.events[0].canonical = forged.events[0].canonical.toString('base64');
      edited.events[0].hash = forged.events[0].hash;
      expect((await bothAgree(edited, log.verifierKey)).problem?.field).toBe('inclusionProof');
    });

    it('refuses alike a broken prevHash link', async () => {
      const broken = new SyntheticLog()
        .append(`record-${CODE}`, 'ArchiveFiled', {
          archiveCode: CODE,
          title: 'A',
          classification: 'INTERNAL',
        })
        .append(`record-${CODE}`, 'HoldPlaced', { holdId: 'H1', kind: 'legal', reason: 'r' }, undefined, {
          prevHash: 'ef'.repeat(32),
        });
      const b = broken.bundle('record-export', [`record-${CODE}`]);
      expect((await bothAgree(b, broken.verifierKey)).problem?.field).toBe('metadata.prevHash');
    });

    it('refuses alike files that are not bundles', async () => {
      for (const input of [[1, 2], null, 'x', 42, { format: 'archive-ledger/audit-bundle', version: 1 }]) {
        expect((await bothAgree(input)).verified).toBe(false);
      }
    });
  });

  describe('a destruction certificate (D8)', () => {
    const log = destroyedRecordLog();
    const streams = [`record-${CODE}`, `destruction-${LIST_ID}`];
    const certificate = log.bundle('destruction-certificate', streams, { listId: LIST_ID });

    it('D8: proves the same approvals, witnesses, list and policy version', async () => {
      const verdict = await bothAgree(certificate, log.verifierKey);
      expect(verdict.verified).toBe(true);
      expect(verdict.facts).toMatchObject({
        kind: 'destruction-certificate',
        listId: LIST_ID,
        policyVersion: 1,
      });
    });

    it('D8: proves alike a certificate whose list events about a higher-classified record were withheld', async () => {
      const withheld = log.bundle('destruction-certificate', streams, {
        listId: LIST_ID,
        withhold: (e) => e.stream.startsWith('destruction-') && e.canonical.includes(OTHER_CODE),
      });
      expect((await bothAgree(withheld, log.verifierKey)).facts).toMatchObject({
        withheldListRevisions: [2, 6, 7, 8, 9],
      });
    });

    const edits: [string, (b: Json) => void][] = [
      ['listId', (b) => (b.listId = 'XH-20260301-00000000')],
      ['listId removed', (b) => delete b.listId],
      ['the Destroyed event removed', (b) => b.events.splice(1, 1)],
      [
        'the list stream removed',
        (b) => (b.events = b.events.filter((e: Json) => e.stream.startsWith('record-'))),
      ],
      [
        'a signature event withheld',
        (b) => {
          const e = b.events.find((x: Json) => x.stream.startsWith('destruction-') && x.revision === 3);
          e.withheld = 'A2';
          delete e.canonical;
        },
      ],
      [
        'the list events cut after the drafting',
        (b) => (b.events = b.events.filter((e: Json) => e.stream.startsWith('record-') || e.revision === 0)),
      ],
      ['a list event’s bytes', (b) => (b.events[4].canonical = flipByte(b.events[4].canonical, 60))],
      ['the streams in the other order', (b) => (b.events = [...b.events.slice(2), ...b.events.slice(0, 2)])],
    ];
    it.each(edits)('D8: refuses alike when %s is edited', async (_what, edit) => {
      const edited = clone(certificate);
      edit(edited);
      expect((await bothAgree(edited, log.verifierKey)).verified).toBe(false);
    });

    it('D8: refuses alike a certificate for a record that was not destroyed', async () => {
      const notDestroyed = notDestroyedLog();
      const b = notDestroyed.bundle('destruction-certificate', streams, { listId: LIST_ID });
      expect((await bothAgree(b, notDestroyed.verifierKey)).problem?.message).toMatch(
        /has no Destroyed event/,
      );
    });

    it('D8: gives the same verdict for every one-character edit of the certificate file that is still JSON', async () => {
      const text = JSON.stringify(certificate, null, 2);
      let compared = 0;
      let refused = 0;
      // Every 29th character, each replaced by a neighbour in the character table: hundreds of cases,
      // across the keys, the note, the hashes, the proofs and the base64 bytes.
      for (let i = 0; i < text.length; i += 29) {
        const changed = `${text.slice(0, i)}${String.fromCharCode(text.charCodeAt(i) ^ 0x01)}${text.slice(i + 1)}`;
        let parsed: unknown;
        try {
          parsed = JSON.parse(changed);
        } catch {
          continue;
        }
        const verdict = await bothAgree(parsed, log.verifierKey);
        compared += 1;
        if (!verdict.verified) refused += 1;
      }
      expect(compared).toBeGreaterThan(300);
      // Every field is checked, so every edit that is still JSON is refused (by both, alike).
      expect(refused).toBe(compared);
    }, 60_000);
  });
});

describe('the browser verifier’s primitives against published vectors', () => {
  it('hashes the RFC 6962 leaves as node:crypto does', async () => {
    for (const input of rfc6962Vectors.leafInputsHex) {
      expect(toHex(await hashLeaf(fromHex(input)))).toBe(
        nodeHashLeaf(Buffer.from(input, 'hex')).toString('hex'),
      );
    }
  });

  it.each(proofVectors.inclusion)(
    'verifies the transparency-dev inclusion proof of leaf $leafIndex in a tree of $treeSize, and refuses it corrupted',
    async ({ leafIndex, treeSize, proof }) => {
      const leaf = await hashLeaf(fromHex(rfc6962Vectors.leafInputsHex[leafIndex]));
      const root = fromHex(rfc6962Vectors.rootHashByTreeSizeHex[treeSize]);
      const hashes = proof.map((p) => fromHex(p));
      expect(await inclusionProblem(leafIndex, treeSize, leaf, hashes, root)).toBeUndefined();
      if (treeSize > 1) {
        const corrupted = hashes.map((h, i) =>
          i === 0 ? h.map((byte, j) => (j === 0 ? byte ^ 1 : byte)) : h,
        );
        expect(await inclusionProblem(leafIndex, treeSize, leaf, corrupted, root)).toBeDefined();
        expect(await inclusionProblem(leafIndex, treeSize, leaf, hashes.slice(1), root)).toBeDefined();
        expect(await inclusionProblem(leafIndex, treeSize, root, hashes, root)).toBeDefined();
      }
    },
  );

  // golang.org/x/mod/sumdb/note note_test.go: the vectors src/audit/signed-note/signed-note.spec.ts uses.
  const codeOf = async (fn: () => Promise<unknown>): Promise<string | undefined> => {
    try {
      await fn();
      return undefined;
    } catch (error) {
      return error instanceof NoteError ? error.code : error instanceof NoteKeyError ? 'KEY' : String(error);
    }
  };

  it('opens the published note with one key known, and with both (Web Crypto Ed25519)', async () => {
    const peter = await parseVerifierKey(PETER_VKEY);
    const enoch = await parseVerifierKey(ENOCH_VKEY);
    expect(peter.keyId.toString(16)).toBe('c74f20a3');
    expect(enoch.keyId.toString(16)).toBe('af0cfe78');
    const one = await openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter]);
    expect(one.text).toBe(TEXT);
    expect(one.verified.map((s) => s.name)).toEqual(['PeterNeumann']);
    expect(one.unverified.map((s) => s.name)).toEqual(['EnochRoot']);
    const both = await openNote(`${TEXT}\n${PETER_SIG}${ENOCH_SIG}`, [peter, enoch]);
    expect(both.verified.map((s) => s.name)).toEqual(['PeterNeumann', 'EnochRoot']);
  });

  it('refuses the published note edited, re-signed, unsigned or malformed as the reference does', async () => {
    const peter = await parseVerifierKey(PETER_VKEY);
    expect(await codeOf(() => openNote(`${TEXT}\n${PETER_SIG}`, []))).toBe('NO_VERIFIED_SIGNATURE');
    expect(
      await codeOf(() => openNote(`${TEXT.replace('cryptography', 'cryptographY')}\n${PETER_SIG}`, [peter])),
    ).toBe('INVALID_SIGNATURE');
    expect(
      await codeOf(() => openNote(`${TEXT}\n${PETER_SIG.slice(0, 60)}ABCD${PETER_SIG.slice(60)}`, [peter])),
    ).toBe('INVALID_SIGNATURE');
    for (const bad of [
      TEXT,
      `${TEXT}\n`,
      `${TEXT}\n${PETER_SIG.slice(0, -1)}`,
      `\u0001${TEXT}\n${PETER_SIG}`,
      `${TEXT}\n${PETER_SIG}Unexpected line.\n`,
      `${TEXT}\n${PETER_SIG.repeat(101)}`,
    ]) {
      expect(await codeOf(() => openNote(bad, [peter]))).toBe('MALFORMED_NOTE');
    }
  });

  it('refuses every truncation and every changed character of the published verifier key', async () => {
    const accepted: string[] = [];
    const tries: string[] = [];
    for (let i = 0; i <= PETER_VKEY.length; i += 3) {
      for (let j = i + 1; j <= PETER_VKEY.length; j += 5) {
        if (!(i === 0 && j === PETER_VKEY.length)) tries.push(PETER_VKEY.slice(i, j));
      }
    }
    for (let i = 0; i < PETER_VKEY.length; i++) {
      tries.push(
        PETER_VKEY.slice(0, i) + String.fromCharCode(PETER_VKEY.charCodeAt(i) + 1) + PETER_VKEY.slice(i + 1),
      );
    }
    for (const k of tries) if ((await codeOf(() => parseVerifierKey(k))) === undefined) accepted.push(k);
    expect(accepted).toEqual([]);
  });

  it('verifies the example checkpoint of docs/audit.md', async () => {
    const note =
      'archive-ledger.local/log\n8\nXcnaeacGWamtVZy3Ad7ZoqudgjqtL0lgz+Nw7/RgQyg=\n\n' +
      '— archive-ledger.local/log S3sSc8QicmbGwzgg50vgRsoKdYy2YRPO3Z3udgR0u3yleYqD8uOrX+GIFpbfdDmMUNXFcQ0aoSrc3sJ/iN25mCuzLwc=\n';
    const key = await parseVerifierKey(
      'archive-ledger.local/log+4b7b1273+AepKbGPinFIKvvVQexMuxfmVR3auvr57kkIe6mkURtIs',
    );
    const checkpoint = await verifyCheckpoint(note, [key]);
    expect(checkpoint.treeSize).toBe(8);
    expect(toHex(checkpoint.rootHash)).toBe(
      '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
    );
    expect(await codeOf(() => verifyCheckpoint(note.replace('\n8\n', '\n9\n'), [key]))).toBe(
      'INVALID_SIGNATURE',
    );
  });

  it('decodes base64 only in its canonical form, as Buffer with a round trip does', () => {
    for (const text of [
      '',
      'QQ==',
      'QUI=',
      'QUJD',
      'QR==',
      'QQ=',
      'QQ',
      'Q===',
      '====',
      'QU I=',
      'QUJD\n',
      '-_8=',
      'QQ==QQ==',
    ]) {
      const node = Buffer.from(text, 'base64');
      const canonical = node.toString('base64') === text;
      const web = fromCanonicalBase64(text);
      expect([text, web === undefined ? undefined : toHex(web)]).toEqual([
        text,
        canonical ? node.toString('hex') : undefined,
      ]);
    }
    const random = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 37 + 11) & 0xff));
    for (let n = 0; n < random.length; n += 13) {
      expect(toBase64(random.subarray(0, n))).toBe(random.subarray(0, n).toString('base64'));
    }
  });
});
