import { generateSigner } from '../signed-note';
import type { AuditBundle } from './bundle.format';
import {
  CODE,
  LIST_ID,
  ORIGIN,
  OTHER_CODE,
  SyntheticLog,
  destroyedRecordLog,
  notDestroyedLog,
  recordExportLog,
} from './bundle.spec-helper';
import { describeProblem, verifyBundle } from './verify-bundle';
import { verdictText } from './verdict-text';

type Mutable = { -readonly [K in keyof AuditBundle]: unknown } & Record<string, unknown>;
const clone = (bundle: AuditBundle): Mutable => JSON.parse(JSON.stringify(bundle)) as Mutable;
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- edits reach into arbitrary JSON
type Json = any;

function problemOf(bundle: unknown, pinnedKey?: string): string {
  const verdict = verifyBundle(bundle, pinnedKey === undefined ? {} : { pinnedKey });
  expect(verdict.verified).toBe(false);
  return describeProblem(verdict.problem!);
}

/** Flip one character of a base64 string's decoded bytes at `index`. */
function flipByte(base64: string, index: number): string {
  const bytes = Buffer.from(base64, 'base64');
  bytes[index] ^= 0x01;
  return bytes.toString('base64');
}

describe('offline bundle verification: a record export', () => {
  const log = recordExportLog();
  const bundle = log.bundle('record-export', [`record-${CODE}`]);

  it('verifies with the pinned key and proves the history, revision by revision', () => {
    const verdict = verifyBundle(bundle, { pinnedKey: log.verifierKey });
    expect(verdict.problem).toBeNull();
    expect(verdict.verified).toBe(true);
    expect(verdict.key).toMatchObject({ source: 'pinned', name: ORIGIN });
    expect(verdict.facts).toMatchObject({
      kind: 'record-export',
      archiveCode: CODE,
      title: '供货合同',
      events: 3,
      lastRevision: 2,
      destroyed: false,
    });
    expect(verdict.facts && 'history' in verdict.facts && verdict.facts.history.map((h) => h.type)).toEqual([
      'ArchiveFiled',
      'HoldPlaced',
      'HoldReleased',
    ]);
    expect(verdictText(verdict)).toMatch(
      /^VERIFIED\n {2}key: archive-ledger\.test\/log\+[0-9a-f]{8}, public key fingerprint SHA-256:[0-9a-f]{64}\n {7}\(the key you pinned/,
    );
  });

  it('without --key, verifies but says plainly the key came from the bundle itself', () => {
    const verdict = verifyBundle(bundle);
    expect(verdict.verified).toBe(true);
    expect(verdict.key?.source).toBe('bundle');
    expect(verdictText(verdict)).toMatch(/WARNING: the key came from the bundle itself/);
  });

  it('refuses a bundle signed by another key than the pinned one (key mismatch)', () => {
    const other = new SyntheticLog(generateSigner(ORIGIN));
    expect(problemOf(bundle, other.verifierKey)).toMatch(
      /^checkpoint: verifierKey: key mismatch: the bundle names key/,
    );
  });

  it('refuses a bundle whose key and signature were swapped for an impostor’s, when the real key is pinned', () => {
    const impostor = new SyntheticLog(generateSigner(ORIGIN));
    for (const e of log.events) impostor.append(e.stream, e.type, { forged: true });
    const forged = impostor.bundle('record-export', [`record-${CODE}`]);
    expect(problemOf(forged, log.verifierKey)).toMatch(/key mismatch/);
  });

  const edits: [string, (b: Json) => void, RegExp][] = [
    ['format', (b) => (b.format = 'something/else'), /^bundle: format: is "something\/else"/],
    ['version', (b) => (b.version = 3), /^bundle: version: is 3; this verifier reads versions 1 and 2/],
    ['kind', (b) => (b.kind = 'destruction-certificate'), /^bundle: listId: is missing/],
    [
      'archiveCode',
      (b) => (b.archiveCode = 'Z001-WS-2010-D10-SALES-0009'),
      /^events\[0\] .*: stream: is not expected here/,
    ],
    ['an added field', (b) => (b.comment = 'hi'), /^bundle: comment: is not a field of bundle format v2/],
    [
      'listId on an export',
      (b) => (b.listId = LIST_ID),
      /^bundle: listId: belongs to destruction certificates only/,
    ],
    [
      'checkpoint.note text',
      (b) => (b.checkpoint.note = b.checkpoint.note.replace(/\n4\n/, '\n5\n')),
      /^checkpoint: note: the checkpoint signature is invalid: the signature does not verify/,
    ],
    [
      'checkpoint.note signature',
      (b) =>
        (b.checkpoint.note = b.checkpoint.note.replace(
          / (\S)(\S+)\n$/,
          (_m: string, c: string, rest: string) =>
            ` ${c}${rest.slice(0, 10)}${rest[10] === 'A' ? 'B' : 'A'}${rest.slice(11)}\n`,
        )),
      /^checkpoint: note: the checkpoint signature is invalid/,
    ],
    [
      'checkpoint.treeSize',
      (b) => (b.checkpoint.treeSize = 5),
      /^checkpoint: treeSize: is 5, but the signed note is of tree size 4/,
    ],
    [
      'checkpoint.verifierKey (another key)',
      (b) => (b.checkpoint.verifierKey = new SyntheticLog().verifierKey),
      /^checkpoint: verifierKey: key mismatch: the bundle names key archive-ledger\.test\/log\+[0-9a-f]{8} \(fingerprint [0-9a-f]{64}\), not the pinned key/,
    ],
    [
      'checkpoint.verifierKey (garbage)',
      (b) => (b.checkpoint.verifierKey = 'nonsense'),
      /^checkpoint: verifierKey: is not a signed-note verifier key/,
    ],
    [
      'one byte of an event’s canonical bytes',
      (b) => (b.events[1].canonical = flipByte(b.events[1].canonical, 40)),
      /^events\[1\] \(record-Z001-WS-2010-D10-SALES-0001@1, position 3\): hash: the canonical bytes hash to [0-9a-f]{64}, not the stated hash/,
    ],
    [
      'canonical bytes that are not base64',
      (b) => (b.events[0].canonical = '%%%'),
      /^events\[0\] .*: canonical: is not canonical base64/,
    ],
    [
      'an event’s hash',
      (b) => (b.events[2].hash = 'ab'.repeat(32)),
      /^events\[2\] .*: hash: the canonical bytes hash to/,
    ],
    [
      'an event’s stream',
      (b) => (b.events[1].stream = 'record-OTHER'),
      /^events\[1\] .*: stream: is not expected here/,
    ],
    [
      'an event’s revision',
      (b) => (b.events[1].revision = 5),
      /^events\[1\] .*: revision: the hashed bytes name revision 1/,
    ],
    [
      'an event’s position',
      (b) => (b.events[1].position = '2'),
      /^events\[1\] .*position 2\): leafIndex: is 2, but position 2 is leaf 1: embedded positions are gap-free from 1 \(the position or the leaf index was edited\)$/,
    ],
    [
      'an event’s leafIndex',
      (b) => (b.events[1].leafIndex = 1),
      /^events\[1\] \(record-Z001-WS-2010-D10-SALES-0001@1, position 3\): leafIndex: is 1, but position 3 is leaf 2: embedded positions are gap-free from 1 \(the position or the leaf index was edited\)$/,
    ],
    [
      'an event’s leafIndex and position together',
      (b) => {
        b.events[1].leafIndex = 1;
        b.events[1].position = '2';
      },
      /^events\[1\] .*position 2\): inclusionProof: the proof fails: leaf 1 is not proven in the signed tree of size 4/,
    ],
    [
      'a leafIndex beyond the tree',
      (b) => (b.events[2].leafIndex = 9),
      /^events\[2\] .*: leafIndex: is beyond the signed tree: leaf 9 is not in the checkpoint's tree of size 4$/,
    ],
    [
      'a leafIndex removed',
      (b) => delete b.events[0].leafIndex,
      /^events\[0\]: leafIndex: is undefined, not a leaf index \(a whole number from 0\)$/,
    ],
    [
      'a leafIndex that is not a number',
      (b) => (b.events[0].leafIndex = '0'),
      /^events\[0\]: leafIndex: is "0", not a leaf index/,
    ],
    [
      'a position beyond the tree',
      (b) => (b.events[2].position = '9'),
      /^events\[2\] .*: position: is beyond the signed tree: the checkpoint's tree size 4 is smaller than position 9/,
    ],
    [
      'a position that is not one',
      (b) => (b.events[0].position = '0'),
      /^events\[0\]: position: is "0", not a global position/,
    ],
    [
      'an inclusion proof element',
      (b) => (b.events[0].inclusionProof[1] = 'cd'.repeat(32)),
      /^events\[0\] .*: inclusionProof: the proof fails: leaf 0 is not proven in the signed tree of size 4 \(the inclusion proof leads to root/,
    ],
    [
      'an inclusion proof cut short',
      (b) => b.events[0].inclusionProof.pop(),
      /^events\[0\] .*: inclusionProof: the proof fails: .*shorter than the tree is high/,
    ],
    [
      'an inclusion proof that is not hex',
      (b) => (b.events[0].inclusionProof[0] = 'zz'),
      /^events\[0\]: inclusionProof\[0\]: is not a 64-digit hex hash/,
    ],
    [
      'an event deleted from the middle',
      (b) => b.events.splice(1, 1),
      /^events\[1\] .*: revision: expected revision 1 after 0: an event is missing or out of order/,
    ],
    [
      'the first event deleted',
      (b) => b.events.shift(),
      /^events\[0\] .*: revision: the stream must start at revision 0/,
    ],
    [
      'two events swapped',
      (b) => ([b.events[1], b.events[2]] = [b.events[2], b.events[1]]),
      /^events\[1\] .*: revision: expected revision 1 after 0/,
    ],
    [
      'an event duplicated',
      (b) => b.events.push(b.events[2]),
      /^events\[3\] .*: position: appears twice in the bundle/,
    ],
    ['every event removed', (b) => (b.events = []), /^bundle: events: is missing or empty/],
    [
      'a record event withheld',
      (b) => {
        b.events[1].withheld = 'x';
        delete b.events[1].canonical;
      },
      /^events\[1\] .*: withheld: the record’s own events are never withheld/,
    ],
    [
      'canonical and withheld both',
      (b) => (b.events[1].withheld = 'x'),
      /^events\[1\]: canonical: is present on a withheld event/,
    ],
    [
      'an unknown event field',
      (b) => (b.events[0].note = 'x'),
      /^events\[0\]: note: is not a field of bundle format v2/,
    ],
  ];
  it.each(edits)('fails with a precise message when %s is edited', (_what, edit, expected) => {
    const edited = clone(bundle);
    edit(edited);
    expect(problemOf(edited, log.verifierKey)).toMatch(expected);
  });

  it('refuses bytes re-hashed to match a rewritten event: the chain link or the tree catches it', () => {
    const forged = new SyntheticLog(log.signer);
    forged.append(`record-${CODE}`, 'ArchiveFiled', {
      archiveCode: CODE,
      title: '伪造',
      classification: 'INTERNAL',
    });
    const edited = clone(bundle) as Json;
    edited.events[0].canonical = forged.events[0].canonical.toString('base64');
    edited.events[0].hash = forged.events[0].hash;
    expect(problemOf(edited, log.verifierKey)).toMatch(
      /^events\[0\] .*: inclusionProof: the proof fails: leaf 0 is not proven/,
    );
  });

  it('without --key, an edited verifier key fails the signature check: no signature by that key', () => {
    const edited = clone(bundle) as Json;
    edited.checkpoint.verifierKey = new SyntheticLog().verifierKey;
    expect(problemOf(edited)).toMatch(
      /^checkpoint: note: the checkpoint signature is invalid: it carries no signature by key archive-ledger\.test\/log\+[0-9a-f]{8}$/,
    );
  });

  it('refuses an event whose bytes link to another previous hash (broken prevHash link), even when sealed', () => {
    const broken = new SyntheticLog()
      .append(`record-${CODE}`, 'ArchiveFiled', { archiveCode: CODE, title: 'A', classification: 'INTERNAL' })
      .append(`record-${CODE}`, 'HoldPlaced', { holdId: 'H1', kind: 'legal', reason: 'r' }, undefined, {
        prevHash: 'ef'.repeat(32),
      });
    const b = broken.bundle('record-export', [`record-${CODE}`]);
    expect(problemOf(b, broken.verifierKey)).toMatch(
      /^events\[1\] .*: metadata\.prevHash: broken link: the bytes' prevHash (ef){32} is not the hash of revision 0/,
    );
  });

  it('fails a file that is not a bundle at all', () => {
    expect(problemOf([1, 2])).toBe('bundle: (root): is not a JSON object');
    expect(problemOf({ format: 'archive-ledger/audit-bundle', version: 1 })).toMatch(/^bundle: kind:/);
  });
});

describe('offline bundle verification: a destruction certificate (D8)', () => {
  const log = destroyedRecordLog();
  const streams = [`record-${CODE}`, `destruction-${LIST_ID}`];
  const certificate = log.bundle('destruction-certificate', streams, { listId: LIST_ID });

  it('D8: verifies and proves who approved, who witnessed, when, under which list and policy version', () => {
    const verdict = verifyBundle(certificate, { pinnedKey: log.verifierKey });
    expect(verdict.problem).toBeNull();
    expect(verdict.facts).toMatchObject({
      kind: 'destruction-certificate',
      archiveCode: CODE,
      listId: LIST_ID,
      listTitle: '2026年第一批到期档案销毁清册',
      policyVersion: 1,
      destroyedOn: '2026-03-01',
      destroyedBy: { id: 'wang.fang', unit: 'ARCHIVE' },
      approvals: [
        {
          capacity: 'leader_in_charge',
          role: 'deputy_gm',
          signer: { id: 'zhao.gang', unit: 'MGMT' },
          opinion: '同意销毁',
        },
        {
          capacity: 'office_head',
          role: 'department_head',
          signer: { id: 'qian.li', unit: 'OFFICE' },
          opinion: '同意销毁',
        },
      ],
      witnessChecks: [
        { capacity: 'archive', witness: { id: 'song.jie', unit: 'ARCHIVE' }, matched: true, itemCount: 2 },
        { capacity: 'business', witness: { id: 'deng.hui', unit: 'SALES' }, matched: true, itemCount: 2 },
      ],
      witnessSignatures: [
        { capacity: 'archive', witness: { id: 'song.jie', unit: 'ARCHIVE' }, remark: '已监销' },
      ],
      listCompleted: false,
      withheldListRevisions: [],
    });
    const text = verdictText(verdict);
    expect(text).toMatch(/Proven: record Z001-WS-2010-D10-SALES-0001 .* was destroyed on 2026-03-01/);
    expect(text).toMatch(
      /leader_in_charge — zhao\.gang \(MGMT\), role deputy_gm, opinion “同意销毁”, signed 2026-03-01T09:00:\d\d\.000Z/,
    );
    expect(text).toMatch(/archive — song\.jie \(ARCHIVE\), counted 2 item\(s\), matched the list/);
  });

  it('D8: a list event naming a record above the requester’s clearance is withheld, proven by hash, and said so', () => {
    const withheld = log.bundle('destruction-certificate', streams, {
      listId: LIST_ID,
      withhold: (e) => e.stream.startsWith('destruction-') && e.canonical.includes(OTHER_CODE),
    });
    const verdict = verifyBundle(withheld, { pinnedKey: log.verifierKey });
    expect(verdict.problem).toBeNull();
    expect(verdict.facts).toMatchObject({ withheldListRevisions: [2, 6, 7, 8, 9] });
    expect(verdictText(verdict)).toMatch(/Withheld by the service \(A2.*list revisions 2, 6, 7, 8, 9/);
  });

  const edits: [string, (b: Json) => void, RegExp][] = [
    [
      'listId',
      (b) => (b.listId = 'XH-20260301-00000000'),
      /^events\[\d+\] \(destruction-XH-20260301-4F2A9C01@0.*: stream: is not expected here/,
    ],
    [
      'the Destroyed event removed',
      (b) => b.events.splice(1, 1),
      /^bundle: events: holds no event of destruction-|^certificate: events: does not prove the destruction: record-.* has no Destroyed event/,
    ],
    [
      'the list stream removed',
      (b) => (b.events = b.events.filter((e: Json) => e.stream.startsWith('record-'))),
      /^bundle: events: holds no event of destruction-XH-20260301-4F2A9C01/,
    ],
    [
      'a signature event withheld',
      (b) => {
        const e = b.events.find((x: Json) => x.stream.startsWith('destruction-') && x.revision === 3);
        e.withheld = 'A2';
        delete e.canonical;
      },
      /^certificate: events: does not prove the destruction: no DestructionListSigned event for leader_in_charge by zhao\.gang/,
    ],
    [
      'the list events cut after the drafting',
      (b) => (b.events = b.events.filter((e: Json) => e.stream.startsWith('record-') || e.revision === 0)),
      /^certificate: events: does not prove the destruction: destruction-.* has no DestructionListApproved/,
    ],
    [
      'a list event’s bytes',
      (b) => {
        const e = b.events[4];
        e.canonical = flipByte(e.canonical, 60);
      },
      /^events\[4\] \(destruction-XH-20260301-4F2A9C01@2, position 5\): hash: the canonical bytes hash to/,
    ],
  ];
  it.each(edits)('D8: fails with a precise message when %s is edited', (_what, edit, expected) => {
    const edited = clone(certificate);
    edit(edited);
    expect(problemOf(edited, log.verifierKey)).toMatch(expected);
  });

  it('D8: refuses a certificate for a record that was not destroyed', () => {
    const notDestroyed = notDestroyedLog();
    const b = notDestroyed.bundle('destruction-certificate', streams, { listId: LIST_ID });
    expect(problemOf(b, notDestroyed.verifierKey)).toMatch(/has no Destroyed event/);
  });
});

describe('offline bundle verification: version 1 bundles (before leafIndex) are still read', () => {
  const log = recordExportLog();
  const v1 = log.bundle('record-export', [`record-${CODE}`], { version: 1 });

  it('verifies a version 1 bundle: each event is leaf position − 1', () => {
    expect(v1.version).toBe(1);
    expect(v1.events.every((e) => e.leafIndex === undefined)).toBe(true);
    const verdict = verifyBundle(v1, { pinnedKey: log.verifierKey });
    expect(verdict.problem).toBeNull();
    expect(verdict.verified).toBe(true);
  });

  const edits: [string, (b: Json) => void, RegExp][] = [
    [
      'an event’s position',
      (b) => (b.events[1].position = '2'),
      /^events\[1\] .*position 2\): inclusionProof: the proof fails: leaf 1 is not proven/,
    ],
    [
      'a position beyond the tree',
      (b) => (b.events[2].position = '9'),
      /^events\[2\] .*: position: is beyond the signed tree: the checkpoint's tree size 4 is smaller than position 9/,
    ],
    [
      'a leafIndex added (a version 2 field)',
      (b) => (b.events[0].leafIndex = 0),
      /^events\[0\]: leafIndex: is not a field of bundle format v1$/,
    ],
    [
      'an EventStoreDB position (version 1 knows counts only)',
      (b) => (b.events[0].position = '4096/4096'),
      /^events\[0\]: position: is "4096\/4096", not a global position such as "42"$/,
    ],
    [
      'the version raised to 2 without leaf indexes',
      (b) => (b.version = 2),
      /^events\[0\]: leafIndex: is undefined, not a leaf index/,
    ],
  ];
  it.each(edits)('fails with a precise message when %s is edited', (_what, edit, expected) => {
    const edited = clone(v1);
    edit(edited);
    expect(problemOf(edited, log.verifierKey)).toMatch(expected);
  });
});

describe('offline bundle verification: EventStoreDB positions (commit/prepare, not counts)', () => {
  const log = destroyedRecordLog();
  const streams = [`record-${CODE}`, `destruction-${LIST_ID}`];
  const certificate = log.bundle('destruction-certificate', streams, {
    listId: LIST_ID,
    eventStoreDbPositions: true,
  });

  it('D8: verifies a certificate whose positions are commit/prepare pairs beyond 2^53, placed by their leafIndex', () => {
    expect(certificate.events[0].position).toMatch(/^\d{20}\/\d{20}$/);
    const verdict = verifyBundle(certificate, { pinnedKey: log.verifierKey });
    expect(verdict.problem).toBeNull();
    expect(verdict.verified).toBe(true);
    expect(verdict.facts).toMatchObject({ kind: 'destruction-certificate', listId: LIST_ID });
  });

  const edits: [string, (b: Json) => void, RegExp][] = [
    [
      'an event’s leafIndex',
      (b) => (b.events[1].leafIndex = 9),
      /^events\[1\] \(record-Z001-WS-2010-D10-SALES-0001@1, position \d+\/\d+\): inclusionProof: the proof fails: leaf 9 is not proven in the signed tree of size 14 \(/,
    ],
    [
      'an event’s position moved before an earlier leaf’s',
      (b) =>
        (b.events[1].position = b.events[0].position.replace(
          /^(\d+)\/(\d+)$/,
          (_m: string, c: string) => `${BigInt(c) - 1n}/${BigInt(c) - 1n}`,
        )),
      /^events\[1\] .*: leafIndex: is \d+ at position \d+\/\d+, but leaf 0 is at position \d+\/\d+: positions must increase with the leaf index \(the position or the leaf index was edited\)$/,
    ],
    [
      'one position made a count among commit/prepare pairs',
      (b) => (b.events[1].position = '12'),
      /^events\[1\] .*: position: mixes embedded and EventStoreDB positions in one bundle$/,
    ],
    [
      'a position beyond 64 bits',
      (b) => (b.events[0].position = '18446744073709551616/0'),
      /^events\[0\]: position: is "18446744073709551616\/0", not a global position/,
    ],
  ];
  it.each(edits)('D8: fails with a precise message when %s is edited', (_what, edit, expected) => {
    const edited = clone(certificate);
    edit(edited);
    expect(problemOf(edited, log.verifierKey)).toMatch(expected);
  });
});
