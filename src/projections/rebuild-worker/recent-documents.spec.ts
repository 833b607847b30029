import type { ReadDoc } from '../../read-store/read-store.port';
import { RecentDocuments } from './worker-read-store';

const doc = (id: string): ReadDoc => ({ id });

describe('RecentDocuments (the projection worker’s documents in memory)', () => {
  it('keeps at most its capacity', () => {
    const recent = new RecentDocuments(10);
    for (let i = 0; i < 1000; i++) recent.set(`d${i}`, doc(`d${i}`));
    expect(recent.size).toBeLessThanOrEqual(10);
    expect(recent.get('d999')).toEqual(doc('d999'));
    expect(recent.get('d0')).toBeUndefined();
  });

  it('keeps a document it keeps being asked for, and forgets those nobody used', () => {
    const recent = new RecentDocuments(4);
    recent.set('hot', doc('hot'));
    for (let i = 0; i < 100; i++) {
      recent.set(`d${i}`, doc(`d${i}`));
      expect(recent.get('hot')).toEqual(doc('hot'));
    }
    expect(recent.get('d0')).toBeUndefined();
    expect(recent.get('d99')).toEqual(doc('d99'));
  });

  it('tells a document known not to exist (null) from one it does not keep (undefined)', () => {
    const recent = new RecentDocuments(4);
    recent.set('gone', null);
    expect(recent.get('gone')).toBeNull();
    expect(recent.get('never')).toBeUndefined();
  });

  it('gives the last document set under a key, in either generation', () => {
    const recent = new RecentDocuments(4);
    recent.set('a', doc('a1'));
    recent.set('b', doc('b'));
    recent.set('c', doc('c')); // 'a' and 'b' are now the old generation
    recent.set('a', doc('a2'));
    expect(recent.get('a')).toEqual(doc('a2'));
    recent.set('d', doc('d')); // 'c' and 'a' are now the old generation
    expect(recent.get('a')).toEqual(doc('a2'));
    recent.set('a', doc('a3'));
    expect(recent.get('a')).toEqual(doc('a3'));
    expect(recent.size).toBeLessThanOrEqual(4);
  });

  it('refuses to keep fewer than two documents', () => {
    expect(() => new RecentDocuments(1)).toThrow('keep at least 2 documents');
  });
});
