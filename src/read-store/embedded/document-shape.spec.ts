import { KIND, MAX_TRACKED_PATHS, PathKinds } from './document-shape';

describe('PathKinds.merge (the record of paths a projection worker hands to the store)', () => {
  it('adds the kinds the other record has and answers whether anything was new', () => {
    const stored = PathKinds.empty();
    stored.record({ id: 'a', year: 2024, tags: ['x'] });
    const seen = PathKinds.empty();
    seen.record({ id: 'b', year: null, open: true });
    expect(stored.merge(seen)).toBe(true);
    expect(stored.of('year')).toBe(KIND.number | KIND.null);
    expect(stored.of('open')).toBe(KIND.boolean);
    expect(stored.of('tags')).toBe(KIND.array | KIND.string);
    expect(stored.merge(seen)).toBe(false);
    expect(PathKinds.parse(stored.serialise()).of('year')).toBe(KIND.number | KIND.null);
  });

  it('becomes untyped (every kind possible) when the other is, or when the paths grow past the limit', () => {
    const many: Record<string, number> = {};
    for (let i = 0; i <= MAX_TRACKED_PATHS; i++) many[`f${i}`] = i;
    const untyped = PathKinds.empty();
    untyped.record(many);
    const stored = PathKinds.empty();
    stored.record({ id: 'a' });
    expect(stored.merge(untyped)).toBe(true);
    expect(stored.of('id')).toBe(0xff);

    const half = (from: number) => {
      const kinds = PathKinds.empty();
      const doc: Record<string, number> = {};
      for (let i = from; i < from + MAX_TRACKED_PATHS / 2 + 1; i++) doc[`g${i}`] = i;
      kinds.record(doc);
      return kinds;
    };
    const grown = half(0);
    expect(grown.merge(half(MAX_TRACKED_PATHS))).toBe(true);
    expect(grown.of('g0')).toBe(0xff);
  });
});
