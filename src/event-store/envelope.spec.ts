import { createHash, randomUUID } from 'node:crypto';
import {
  canonicalBytes,
  EVENT_HASH_DOMAIN_TAG,
  GENESIS_HASH,
  hashCanonical,
  recordedFromCanonical,
  recordedFromText,
  sealEvent,
  verifyChain,
} from './envelope';
import type { ProposedEvent, RecordedEvent } from './event-store.port';

describe('canonical bytes (RFC 8785, JSON Canonicalization Scheme)', () => {
  it('matches the published example of RFC 8785 section 3.2.2', () => {
    // Input and output from RFC 8785 §3.2.2/§3.2.3: property sorting, ES6 number serialisation, minimal escaping.
    const input = JSON.parse(
      '{"numbers": [333333333.33333329, 1E30, 4.50, 2e-3, 0.000000000000000000000000001], "string": "\\u20ac$\\u000F\\u000aA\'\\u0042\\u0022\\u005c\\\\\\"\\/", "literals": [null, true, false]}',
    );
    expect(canonicalBytes(input).toString('utf8')).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts properties by UTF-16 code units, Chinese text included', () => {
    expect(canonicalBytes({ 题名: '合同', b: 1, a: { z: 1, y: 2 } }).toString('utf8')).toBe(
      '{"a":{"y":2,"z":1},"b":1,"题名":"合同"}',
    );
  });
});

describe('sealing and verifying the hash chain', () => {
  const proposed = (type: string): ProposedEvent => ({
    eventId: randomUUID(),
    type,
    data: { title: '客户合同档案' },
    metadata: {
      actor: { id: 'u1', roles: ['archivist'], unit: 'ARCHIVE' },
      occurredAt: '2026-01-01T00:00:00.000Z',
      correlationId: 'c',
      causationId: 'c',
      schemaVersion: 1,
    },
  });
  const sealFirst = () =>
    sealEvent('record-X', 0, GENESIS_HASH, proposed('ArchiveFiled'), '2026-01-02T00:00:00.000Z');
  const chain = (types: string[]): RecordedEvent[] => {
    let prev = GENESIS_HASH;
    return types.map((type, revision) => {
      const sealed = sealEvent('record-X', revision, prev, proposed(type), '2026-01-02T00:00:00.000Z');
      prev = sealed.hash;
      return recordedFromCanonical(sealed.canonical, sealed.hash, String(revision + 1));
    });
  };

  it('decodes an event from its canonical text (the projection worker) as from its bytes, and gives the stored bytes back', () => {
    const sealed = sealFirst();
    const fromBytes = recordedFromCanonical(sealed.canonical, sealed.hash, '7');
    const fromText = recordedFromText(sealed.canonical.toString('utf8'), sealed.hash, '7');
    expect({ ...fromText, canonical: Buffer.from(fromText.canonical) }).toEqual({
      ...fromBytes,
      canonical: Buffer.from(fromBytes.canonical),
    });
    expect(hashCanonical(fromText.canonical)).toBe(sealed.hash);
    expect(() => recordedFromText('{"stream":', sealed.hash, '8')).toThrow(/8.*not valid JSON/);
  });
  it('hashes the domain tag followed by the canonical bytes with SHA-256', () => {
    const sealed = sealFirst();
    const expected = createHash('sha256')
      .update(EVENT_HASH_DOMAIN_TAG + sealed.canonical.toString('utf8'))
      .digest('hex');
    expect(sealed.hash).toBe(expected);
    expect(hashCanonical(sealed.canonical)).toBe(expected);
    expect(JSON.parse(sealed.canonical.toString('utf8'))).toMatchObject({
      stream: 'record-X',
      revision: 0,
      type: 'ArchiveFiled',
    });
  });

  it('accepts an intact chain', () => {
    expect(verifyChain('record-X', chain(['A', 'B', 'C']))).toBeUndefined();
  });

  it('pinpoints a deleted event', () => {
    const events = chain(['A', 'B', 'C', 'D']);
    expect(verifyChain('record-X', [events[0], events[1], events[3]])).toMatchObject({
      revision: 2,
      problem: expect.stringMatching(/found revision 3/),
    });
  });

  it('pinpoints two reordered events', () => {
    const events = chain(['A', 'B', 'C']);
    expect(verifyChain('record-X', [events[0], events[2], events[1]])).toMatchObject({ revision: 1 });
  });

  it('pinpoints an event moved from another stream', () => {
    const events = chain(['A', 'B']);
    expect(verifyChain('record-Y', events)).toMatchObject({
      stream: 'record-Y',
      revision: 0,
      problem: expect.stringMatching(/record-X/),
    });
  });

  it('pinpoints an event re-hashed after editing (its successor no longer links)', () => {
    const events = chain(['A', 'B', 'C']);
    const edited = JSON.parse(Buffer.from(events[1].canonical).toString('utf8'));
    edited.data.title = '伪造';
    const bytes = canonicalBytes(edited);
    const forged = { ...events[1], canonical: bytes, hash: hashCanonical(bytes) };
    expect(verifyChain('record-X', [events[0], forged, events[2]])).toMatchObject({
      revision: 2,
      problem: expect.stringMatching(/prevHash/),
    });
  });

  it('verifies a tail of a stream from a known revision and hash', () => {
    const events = chain(['A', 'B', 'C']);
    expect(verifyChain('record-X', events.slice(1), 1, events[0].hash)).toBeUndefined();
    expect(verifyChain('record-X', events.slice(1), 1, GENESIS_HASH)).toMatchObject({ revision: 1 });
  });
});
