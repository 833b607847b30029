import { BSON, type Document } from 'mongodb';
import { InvalidQueryError, type ReadDoc, type Scalar } from '../read-store.port';
import { documentTokens, searchableText, termTokens } from '../text-search';
import {
  afterCursor,
  and,
  checkDefinition,
  checkGroupBy,
  checkLimit,
  checkSort,
  cursorPosition,
  decodeCursor,
  encodeCursor,
  escapeRegex,
  fromStored,
  groupCountOf,
  groupPipeline,
  indexSpecs,
  mongoFilter,
  mongoPath,
  mongoSort,
  sortGroups,
  textClauses,
  textTerms,
  toStored,
  type Sort,
} from './mongo-query';
import { databaseInUrl } from './mongo-read-store';

/**
 * The MongoDB read store's pure half: storage shape, Filter → MongoDB query, sort, cursors and the
 * group pipeline. No server is involved; what the server then does with these documents is only
 * checked by the contract suite (mongo-read-store.int.spec.ts) when MONGODB_URL is set.
 */

const refused = (fn: () => unknown, field?: string) => {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(InvalidQueryError);
  if (field !== undefined) expect((caught as InvalidQueryError).field).toBe(field);
};

describe('MongoDB read store: field paths', () => {
  it('maps id to _id and keeps dotted paths as they are', () => {
    expect(mongoPath('id')).toBe('_id');
    expect(mongoPath('fonds')).toBe('fonds');
    expect(mongoPath('borrower.id')).toBe('borrower.id');
    expect(mongoPath('_stream')).toBe('_stream');
  });

  it('refuses operators, malformed paths, array positions and the store’s own fields', () => {
    for (const path of [
      '',
      '$where',
      'a.$gt',
      'a$',
      'a..b',
      '.a',
      'a.',
      'a.0',
      '0',
      'a b',
      'a-b',
      '_id',
      '_tokens',
      '_text',
      '_text.x',
      'x'.repeat(201),
      Array.from({ length: 17 }, () => 'a').join('.'),
    ]) {
      refused(() => mongoPath(path), path);
    }
  });
});

describe('MongoDB read store: Filter → query', () => {
  it('translates each condition', () => {
    expect(
      mongoFilter({
        id: 'r-1',
        fonds: 'F001',
        missing: null,
        flag: true,
        status: { in: ['ON_LOAN', 'OVERDUE', null] },
        'borrower.id': { ne: 'u-1' },
        returnedAt: { exists: false },
        classificationRank: { lte: 2 },
        year: { gt: 1990, lt: 2000 },
        title: { gte: 'a', lte: 'b' },
      }),
    ).toEqual({
      _id: 'r-1',
      fonds: 'F001',
      missing: null,
      flag: true,
      status: { $in: ['ON_LOAN', 'OVERDUE', null] },
      'borrower.id': { $ne: 'u-1' },
      returnedAt: { $exists: false },
      classificationRank: { $lte: 2 },
      year: { $gt: 1990, $lt: 2000 },
      title: { $gte: 'a', $lte: 'b' },
    });
    expect(mongoFilter(undefined)).toEqual({});
    expect(mongoFilter({})).toEqual({});
  });

  it('passes strings that look like operators as plain values', () => {
    expect(mongoFilter({ title: '$where' })).toEqual({ title: '$where' });
    expect(mongoFilter({ title: { in: ['$gt'] } })).toEqual({ title: { $in: ['$gt'] } });
  });

  it('refuses conditions outside the query language, never passing them to the server', () => {
    const bad: unknown[] = [
      { $gt: 1 },
      { $where: 'sleep(1000)' },
      { regex: 'a' },
      {},
      ['a'],
      { in: 'a' },
      { in: [{ $gt: 1 }] },
      { in: ['a'], ne: 'b' },
      { ne: { $gt: 1 } },
      { exists: 'yes' },
      { exists: true, ne: 1 },
      { gt: null },
      { gt: true },
      { gt: 1, lt: '9' },
      { eq: 1 },
      { like: 'F%' },
      { gt: { $gt: 1 } },
      { gt: 1, foo: 2 },
      { in: Array.from({ length: 1001 }, (_, i) => i) },
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ];
    for (const condition of bad) {
      refused(() => mongoFilter({ fonds: condition as never }), 'fonds');
    }
    refused(() => mongoFilter({ $where: 'x' }), '$where');
    refused(() => mongoFilter({ "title') OR 1=1 --": 'x' }));
    refused(() => mongoFilter(null as never), 'filter');
    refused(() => mongoFilter({ _tokens: 'he' }), '_tokens');
  });

  it('ANDs query parts, flat when there is one', () => {
    expect(and([{}, {}])).toEqual({});
    expect(and([{ a: 1 }, {}])).toEqual({ a: 1 });
    expect(and([{ a: 1 }, { $or: [{ b: 1 }] }])).toEqual({ $and: [{ a: 1 }, { $or: [{ b: 1 }] }] });
  });
});

describe('MongoDB read store: text search clauses', () => {
  it('asks for no text condition when the text has no terms', () => {
    expect(textTerms(undefined)).toEqual([]);
    expect(textTerms('')).toEqual([]);
    expect(textTerms(' \u3000 ')).toEqual([]);
    expect(textClauses([])).toEqual([]);
    refused(() => textTerms(42), 'text');
  });

  it('finds a one-character term through its unigram', () => {
    expect(textClauses(textTerms('账'))).toEqual([
      { _tokens: { $all: ['账'] } },
      { _text: { $regex: '账' } },
    ]);
  });

  it('needs every n-gram of every term in _tokens and every term as a substring of _text', () => {
    const clauses = textClauses(textTerms('合同 档案'));
    const tokens = [...new Set([...termTokens('合同'), ...termTokens('档案')])];
    expect(tokens.length).toBeGreaterThan(0);
    expect(clauses).toEqual([
      { _tokens: { $all: tokens } },
      { _text: { $regex: '合同' } },
      { _text: { $regex: '档案' } },
    ]);
  });

  it('matches terms literally, case-normalised like the stored text', () => {
    const clauses = textClauses(textTerms('Contract.v2'));
    const regexes = clauses.filter((c) => '_text' in c).map((c) => (c._text as { $regex: string }).$regex);
    expect(regexes).toHaveLength(1);
    const pattern = new RegExp(regexes[0]);
    expect(pattern.test(searchableText(['the contract.v2 draft']))).toBe(true);
    expect(pattern.test(searchableText(['the contractXv2 draft']))).toBe(false);
    // `_text` keeps fields apart with a newline: a term never spans two of them.
    const across = new RegExp(textClauses(textTerms('合同人事'))[1]._text.$regex as string);
    expect(across.test(searchableText(['劳动合同', '人事']))).toBe(false);
    expect(across.test(searchableText(['劳动合同人事']))).toBe(true);
  });

  it('escapes every regex metacharacter', () => {
    const nasty = 'a.b*c+d?e(f)g[h]i{j}k|l^m$n\\o/p-q#r';
    const pattern = new RegExp(`^${escapeRegex(nasty)}$`);
    expect(pattern.test(nasty)).toBe(true);
    expect(pattern.test(nasty.replace('.', 'X'))).toBe(false);
    expect(escapeRegex('客户合同档案')).toBe('客户合同档案');
  });
});

describe('MongoDB read store: sort and cursors', () => {
  const byTitle: Sort = { field: 'title', direction: 'asc' };
  const byYearDesc: Sort = { field: 'year', direction: 'desc' };

  it('sorts by the field then the id, in the same direction', () => {
    expect(mongoSort(checkSort(undefined))).toEqual({ _id: 1 });
    expect(mongoSort({ field: 'id', direction: 'desc' })).toEqual({ _id: -1 });
    const sort = mongoSort(byYearDesc);
    expect(sort).toEqual({ year: -1, _id: -1 });
    expect(Object.keys(sort)).toEqual(['year', '_id']);
    refused(() => checkSort({ field: '$natural', direction: 'asc' }));
    refused(() => checkSort({ field: 'pages desc', direction: 'asc' }));
    refused(() => checkSort({ field: 'title', direction: 'up' as never }), 'sort');
  });

  it('checks the page size', () => {
    expect(checkLimit(1)).toBe(1);
    expect(checkLimit(1000)).toBe(1000);
    for (const limit of [0, 1001, 1.5, Number.NaN, -1]) refused(() => checkLimit(limit), 'limit');
  });

  it('encodes [sortValue, id, sortSpecHash] as base64url JSON and reads it back', () => {
    for (const value of ['卷宗 1', 42, 0.5, true, false, null] as Scalar[]) {
      const cursor = encodeCursor('catalogue', byTitle, { value, id: 'r-7' });
      expect(cursor).toMatch(/^[A-Za-z0-9_-]+$/);
      const decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
      expect(decoded.slice(0, 2)).toEqual([value, 'r-7']);
      expect(typeof decoded[2]).toBe('string');
      expect(decodeCursor('catalogue', byTitle, cursor)).toEqual({ value, id: 'r-7' });
    }
  });

  it('refuses a cursor of another sort, or one it did not make', () => {
    const cursor = encodeCursor('catalogue', byTitle, { value: 'x', id: 'r-1' });
    refused(() => decodeCursor('catalogue', { field: 'title', direction: 'desc' }, cursor), 'cursor');
    refused(() => decodeCursor('catalogue', { field: 'fonds', direction: 'asc' }, cursor), 'cursor');
    refused(() => decodeCursor('loans', byTitle, cursor), 'cursor');
    refused(() => decodeCursor('catalogue', byTitle, cursor.slice(0, -4)), 'cursor');
    refused(() => decodeCursor('catalogue', byTitle, 42), 'cursor');
    const b64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
    for (const garbage of [
      '',
      '!!!',
      'a b',
      Buffer.from('not json').toString('base64url'),
      b64({ value: 'x' }),
      b64(['x', 'r-1']),
      b64([{ $gt: '' }, 'r-1', 'hash']),
      b64(['x', 7, 'hash']),
      'A'.repeat(5000),
    ]) {
      refused(() => decodeCursor('catalogue', byTitle, garbage), 'cursor');
    }
  });

  it('reads the next position off the last document, missing as null', () => {
    const doc: ReadDoc = { id: 'r-3', title: '合同', borrower: { id: 'u-1' }, tags: ['a'] };
    expect(cursorPosition(byTitle, doc)).toEqual({ value: '合同', id: 'r-3' });
    expect(cursorPosition({ field: 'borrower.id', direction: 'asc' }, doc)).toEqual({
      value: 'u-1',
      id: 'r-3',
    });
    expect(cursorPosition({ field: 'year', direction: 'asc' }, doc)).toEqual({ value: null, id: 'r-3' });
    expect(cursorPosition({ field: 'id', direction: 'asc' }, doc)).toEqual({ value: 'r-3', id: 'r-3' });
    refused(() => cursorPosition({ field: 'tags', direction: 'asc' }, doc), 'tags');
    refused(() => cursorPosition({ field: 'borrower', direction: 'asc' }, doc), 'borrower');
  });

  it('continues after a value: greater, or equal with a greater id, or a later type', () => {
    expect(afterCursor(byTitle, { value: 'm', id: 'r-5' })).toEqual({
      $or: [
        { title: { $gt: 'm' } },
        { title: 'm', _id: { $gt: 'r-5' } },
        { title: { $type: ['object', 'array', 'bool'] } },
      ],
    });
    expect(afterCursor({ field: 'year', direction: 'asc' }, { value: 1990, id: 'r-5' })).toEqual({
      $or: [
        { year: { $gt: 1990 } },
        { year: 1990, _id: { $gt: 'r-5' } },
        { year: { $type: ['string', 'object', 'array', 'bool'] } },
      ],
    });
    expect(afterCursor({ field: 'flag', direction: 'asc' }, { value: false, id: 'r-5' })).toEqual({
      $or: [{ flag: { $gt: false } }, { flag: false, _id: { $gt: 'r-5' } }],
    });
  });

  it('puts missing and null first ascending: after null come the other nulls by id, then every value', () => {
    expect(afterCursor(byTitle, { value: null, id: 'r-5' })).toEqual({
      $or: [{ title: null, _id: { $gt: 'r-5' } }, { title: { $ne: null } }],
    });
  });

  it('puts missing and null last descending', () => {
    expect(afterCursor(byYearDesc, { value: 1990, id: 'r-5' })).toEqual({
      $or: [{ year: { $lt: 1990 } }, { year: 1990, _id: { $lt: 'r-5' } }, { year: null }],
    });
    expect(afterCursor({ field: 'title', direction: 'desc' }, { value: 'm', id: 'r-5' })).toEqual({
      $or: [
        { title: { $lt: 'm' } },
        { title: 'm', _id: { $lt: 'r-5' } },
        { title: { $type: ['number'] } },
        { title: null },
      ],
    });
    expect(afterCursor(byYearDesc, { value: null, id: 'r-5' })).toEqual({ year: null, _id: { $lt: 'r-5' } });
  });

  it('continues by id alone when sorting by id', () => {
    expect(afterCursor({ field: 'id', direction: 'asc' }, { value: 'r-5', id: 'r-5' })).toEqual({
      _id: { $gt: 'r-5' },
    });
    expect(afterCursor({ field: 'id', direction: 'desc' }, { value: 'r-5', id: 'r-5' })).toEqual({
      _id: { $lt: 'r-5' },
    });
  });

  /**
   * A model of the documented MongoDB semantics the cursor relies on (BSON sort order with null ==
   * missing lowest; range operators with type bracketing; `{f: null}` matching missing; `$type`
   * aliases). It checks that the cursor conditions page through exactly the sort order — it is a
   * model, not the server.
   */
  describe('paging through a model of MongoDB’s order and matching', () => {
    const TYPES = ['null', 'number', 'string', 'object', 'array', 'bool'];
    const typeOf = (v: unknown) =>
      v === undefined || v === null
        ? 'null'
        : Array.isArray(v)
          ? 'array'
          : typeof v === 'boolean'
            ? 'bool'
            : typeof v === 'object'
              ? 'object'
              : typeof v;
    const compare = (a: unknown, b: unknown): number => {
      const ta = TYPES.indexOf(typeOf(a));
      const tb = TYPES.indexOf(typeOf(b));
      if (ta !== tb) return ta - tb;
      if (ta === 0) return 0;
      if (typeof a === 'string' && typeof b === 'string') {
        return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
      }
      return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
    };
    const matches = (doc: Document, query: Document): boolean =>
      Object.entries(query).every(([key, cond]) => {
        if (key === '$or') return (cond as Document[]).some((q) => matches(doc, q));
        if (key === '$and') return (cond as Document[]).every((q) => matches(doc, q));
        const value = doc[key];
        if (cond === null || typeof cond !== 'object') {
          return cond === null ? value === undefined || value === null : value === cond;
        }
        return Object.entries(cond as Document).every(([op, operand]) => {
          const sameType = typeOf(value) === typeOf(operand);
          switch (op) {
            case '$gt':
              return sameType && compare(value, operand) > 0;
            case '$lt':
              return sameType && compare(value, operand) < 0;
            case '$ne':
              return operand === null ? !(value === undefined || value === null) : value !== operand;
            case '$type':
              return (operand as string[]).includes(typeOf(value)) && value !== undefined;
            default:
              throw new Error(`model does not know ${op}`);
          }
        });
      });
    const sortWith = (docs: Document[], sort: Document) => {
      const [[field, dir]] = Object.entries(sort);
      return [...docs].sort((a, b) => {
        const byField = field === '_id' ? 0 : compare(a[field], b[field]) * (dir as number);
        return byField !== 0 ? byField : compare(a._id, b._id) * (dir as number);
      });
    };

    const values: unknown[] = [
      undefined,
      null,
      3,
      1,
      1,
      2.5,
      -7,
      'b',
      'a',
      'B',
      '合同',
      '',
      true,
      false,
      3,
      'a',
    ];
    const docs: Document[] = values.map((v, i) => {
      const doc: Document = { _id: `r-${String(i).padStart(2, '0')}` };
      if (v !== undefined) doc.k = v;
      if (i % 3 === 0) delete doc.k;
      return doc;
    });

    it.each([
      ['asc', 1],
      ['asc', 2],
      ['asc', 4],
      ['desc', 1],
      ['desc', 3],
      ['desc', 5],
    ] as const)('%s, pages of %i: every document once, in sort order', (direction, size) => {
      const sort: Sort = { field: 'k', direction };
      const expected = sortWith(docs, mongoSort(sort)).map((d) => d._id);
      const seen: string[] = [];
      let cursor: string | undefined;
      for (let guard = 0; guard < 100; guard++) {
        const query = cursor === undefined ? {} : afterCursor(sort, decodeCursor('c', sort, cursor));
        const found = sortWith(
          docs.filter((d) => matches(d, query)),
          mongoSort(sort),
        ).slice(0, size + 1);
        const items = found.slice(0, size).map(fromStored);
        seen.push(...items.map((d) => d.id));
        if (found.length <= size) break;
        cursor = encodeCursor('c', sort, cursorPosition(sort, items[items.length - 1]));
      }
      expect(seen).toEqual(expected);
    });
  });
});

describe('MongoDB read store: group counts', () => {
  it('matches, then groups by positional keys with missing as null', () => {
    expect(groupPipeline({ fonds: 'F1' }, ['status', 'borrower.id', 'id'])).toEqual([
      { $match: { fonds: 'F1' } },
      {
        $group: {
          _id: {
            k0: { $ifNull: ['$status', null] },
            k1: { $ifNull: ['$borrower.id', null] },
            k2: { $ifNull: ['$_id', null] },
          },
          count: { $sum: 1 },
        },
      },
    ]);
    refused(() => checkGroupBy([]), 'by');
    refused(() => checkGroupBy(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i']), 'by');
    refused(() => checkGroupBy(['status', 'status']), 'by');
    refused(() => checkGroupBy(['status;']), 'status;');
    refused(() => groupPipeline({}, ['$status']), '$status');
  });

  it('reads the rows back keyed by the port’s paths', () => {
    expect(groupCountOf(['status', 'borrower.id'], { _id: { k0: 'ON_LOAN', k1: null }, count: 3 })).toEqual({
      key: { status: 'ON_LOAN', 'borrower.id': null },
      count: 3,
    });
    expect(groupCountOf(['status'], { _id: {}, count: 1 })).toEqual({ key: { status: null }, count: 1 });
    expect(groupCountOf(['permanent'], { _id: { k0: false }, count: 2 })).toEqual({
      key: { permanent: false },
      count: 2,
    });
  });

  it('answers the largest group first, then by key, as the SQLite adapter does', () => {
    expect(
      sortGroups([
        { key: { status: 'ON_LOAN' }, count: 3 },
        { key: { status: 'FILED' }, count: 6 },
        { key: { status: 'DESTROYED' }, count: 3 },
      ]),
    ).toEqual([
      { key: { status: 'FILED' }, count: 6 },
      { key: { status: 'DESTROYED' }, count: 3 },
      { key: { status: 'ON_LOAN' }, count: 3 },
    ]);
  });
});

describe('MongoDB read store: storage shape', () => {
  const doc: ReadDoc = {
    id: 'r-1',
    title: '客户合同档案',
    keywords: ['Contract', '合同', 7],
    borrower: { id: 'u-1', name: 'Li' },
    classificationRank: 1,
  };

  it('stores the id as _id, and n-grams and normalised text of the declared text fields', () => {
    const stored = toStored(doc, ['title', 'keywords', 'borrower.name', 'absent']);
    const values = ['客户合同档案', 'Contract', '合同', 'Li'];
    expect(stored).toEqual({
      _id: 'r-1',
      title: '客户合同档案',
      keywords: ['Contract', '合同', 7],
      borrower: { id: 'u-1', name: 'Li' },
      classificationRank: 1,
      _tokens: documentTokens(values),
      _text: searchableText(values),
    });
    expect('id' in stored).toBe(false);
  });

  it('adds no search fields to a collection without text fields', () => {
    expect(toStored(doc, undefined)).toEqual({
      _id: 'r-1',
      title: '客户合同档案',
      keywords: ['Contract', '合同', 7],
      borrower: { id: 'u-1', name: 'Li' },
      classificationRank: 1,
    });
    expect(toStored(doc, [])).not.toHaveProperty('_tokens');
  });

  it('gives documents back as they were written', () => {
    expect(fromStored(toStored(doc, ['title']))).toEqual(doc);
    expect(fromStored(toStored(doc, undefined))).toEqual(doc);
  });

  it('survives the driver’s own BSON encoding unchanged (numbers, rare characters, nesting, null)', () => {
    const rich: ReadDoc = {
      id: '档案-𠀀-001',
      title: '𠀀𪚥生僻字　全角ＡＢＣ１２３（附件）',
      keywords: ['《档案法》', '😀'],
      summary: '多行\n说明\t“引号”',
      pages: 12,
      ratio: 0.5,
      big: 2 ** 40,
      negative: -7,
      permanent: true,
      retentionYears: null,
      handovers: [{ by: '张三', at: '2024-05-30T09:00:00.000Z' }],
      empty: [],
      nested: { deeper: { deepest: ['x', 1, false, null] } },
    };
    const wire = BSON.deserialize(BSON.serialize(toStored(rich, ['title', 'keywords'])));
    expect(fromStored(wire)).toEqual(rich);
    expect(fromStored(wire).id).toBe('档案-𠀀-001');
  });

  it('refuses documents that carry the store’s own fields', () => {
    for (const field of ['_id', '_tokens', '_text']) {
      expect(() => toStored({ ...doc, [field]: 'x' }, ['title'])).toThrow(field);
    }
  });

  it('refuses what JSON cannot hold (BSON would store it) and keys MongoDB reads as operators', () => {
    const bad: unknown[] = [
      { id: 'r-2', stats: { pages: Number.NaN } },
      { id: 'r-2', stats: { pages: Number.POSITIVE_INFINITY } },
      { id: 'r-2', when: new Date(0) },
      { id: 'r-2', nothing: undefined },
      { id: 'r-2', list: [1, undefined] },
      { id: 'r-2', big: 1n },
      { id: 'r-2', nested: { $set: 1 } },
      { id: 'r-2', 'a\0b': 1 },
      { id: '' },
      { id: 7 },
      { title: '没有编号的档案' },
      { id: 'x'.repeat(513) },
      null,
      ['r-2'],
    ];
    for (const value of bad) expect(() => toStored(value as ReadDoc, ['title'])).toThrow();
  });
});

describe('MongoDB read store: collections and indexes', () => {
  it('checks collection names and fields as the SQLite adapter does, and keeps the store’s own names', () => {
    const ok = checkDefinition({ name: 'loan_ledger', indexes: [['status']], text: ['title'] }, [
      'projector_checkpoints',
    ]);
    expect(ok).toEqual({ name: 'loan_ledger', indexes: [['status']], text: ['title'] });
    expect(checkDefinition({ name: 'catalogue', indexes: [] }, [])).toEqual({
      name: 'catalogue',
      indexes: [],
      text: [],
    });
    for (const name of [
      'Catalogue',
      'loan-ledger',
      'loan__ledger',
      '_x',
      'x_',
      'a'.repeat(49),
      'system.views',
    ]) {
      expect(() => checkDefinition({ name, indexes: [] }, [])).toThrow(/lower-case/);
    }
    expect(() =>
      checkDefinition({ name: 'projector_checkpoints', indexes: [] }, ['projector_checkpoints']),
    ).toThrow(/reserved/);
    expect(() => checkDefinition({ name: 'c', indexes: [[]] }, [])).toThrow(/no field/);
    expect(() => checkDefinition({ name: 'c', indexes: [['$x']] }, [])).toThrow(InvalidQueryError);
    expect(() => checkDefinition({ name: 'c', indexes: [], text: ['_text'] }, [])).toThrow(InvalidQueryError);
  });

  it('asks for each declared index with _id appended, named by its fields, plus _tokens for text', () => {
    const specs = indexSpecs({
      name: 'catalogue',
      indexes: [['fonds.code'], ['status', 'filedAt'], ['id'], ['status', 'id'], ['fonds.code']],
      text: ['title'],
    });
    expect(specs.map((spec) => spec.key)).toEqual([
      { 'fonds.code': 1, _id: 1 },
      { status: 1, filedAt: 1, _id: 1 },
      { status: 1, _id: 1 },
      { _tokens: 1 },
    ]);
    expect(specs.map((spec) => Object.keys(spec.key as Document))).toEqual([
      ['fonds.code', '_id'],
      ['status', 'filedAt', '_id'],
      ['status', '_id'],
      ['_tokens'],
    ]);
    const names = specs.map((spec) => spec.name);
    expect(names.every((name) => name?.startsWith('rm_ix_'))).toBe(true);
    expect(new Set(names).size).toBe(names.length);
    // Names depend on the fields only: the same index is named the same on every start.
    expect(indexSpecs({ name: 'other', indexes: [['status', 'filedAt']] })[0].name).toBe(names[1]);
    expect(
      indexSpecs({ name: 'loans', indexes: [['recordId']] }).some((spec) => spec.name === 'rm_ix_tokens'),
    ).toBe(false);
  });

  it('asks for a partial index with its condition as a partial filter, named apart from the full index', () => {
    const specs = indexSpecs({
      name: 'loan_ledger',
      indexes: [
        ['awaiting.since', 'classificationRank'],
        { fields: ['awaiting.since', 'classificationRank'], only: 'awaiting.since', is: 'set' },
        { fields: ['onLoan', 'classificationRank'], only: 'onLoan', is: { equals: true } },
        { fields: ['onLoan', 'classificationRank'], only: 'onLoan', is: 'set' },
        { fields: ['status', 'dueAt'], only: 'status', is: { equals: 'out' } },
      ],
    });
    expect(specs.map(({ key, partialFilterExpression }) => ({ key, partialFilterExpression }))).toEqual([
      { key: { 'awaiting.since': 1, classificationRank: 1, _id: 1 }, partialFilterExpression: undefined },
      {
        key: { 'awaiting.since': 1, classificationRank: 1, _id: 1 },
        partialFilterExpression: { 'awaiting.since': { $exists: true } },
      },
      { key: { onLoan: 1, classificationRank: 1, _id: 1 }, partialFilterExpression: { onLoan: true } },
      {
        key: { onLoan: 1, classificationRank: 1, _id: 1 },
        partialFilterExpression: { onLoan: { $exists: true } },
      },
      { key: { status: 1, dueAt: 1, _id: 1 }, partialFilterExpression: { status: 'out' } },
    ]);
    const names = specs.map((spec) => spec.name);
    expect(new Set(names).size).toBe(5);
  });

  it('refuses the partial indexes the SQLite adapter refuses', () => {
    const defining = (index: unknown) => () =>
      checkDefinition({ name: 'loans', indexes: [index as string[]] }, []);
    expect(defining({ fields: ['status'], only: 'borrower', is: 'set' })).toThrow(/partial index/);
    expect(defining({ fields: ['id', 'status'], only: 'id', is: { equals: true } })).toThrow(/partial index/);
    expect(defining({ fields: ['status'], only: 'status', is: false })).toThrow(/'set' or \{ equals/);
    expect(defining({ fields: ['status'], only: 'status', is: { equals: null } })).toThrow(
      /'set' or \{ equals/,
    );
    expect(defining({ fields: ['$where'], only: '$where', is: { equals: true } })).toThrow();
    expect(
      checkDefinition(
        { name: 'loans', indexes: [{ fields: ['a.b', 'c'], only: 'a.b', is: { equals: true } }] },
        [],
      ),
    ).toEqual({
      name: 'loans',
      indexes: [{ fields: ['a.b', 'c'], only: 'a.b', is: { equals: true } }],
      text: [],
    });
  });
});

describe('MongoDB read store: connection string', () => {
  it('finds the database named in the path', () => {
    expect(databaseInUrl('mongodb://localhost:27017/archive?replicaSet=rs0')).toBe('archive');
    expect(databaseInUrl('mongodb://u:p%40ss@a:27017,b:27017/ledger')).toBe('ledger');
    expect(databaseInUrl('mongodb+srv://cluster.example.net/my%2Ddb?retryWrites=true')).toBe('my-db');
    expect(databaseInUrl('mongodb://localhost:27017')).toBeUndefined();
    expect(databaseInUrl('mongodb://localhost:27017/')).toBeUndefined();
    expect(databaseInUrl('mongodb://localhost:27017/?replicaSet=rs0')).toBeUndefined();
  });
});
