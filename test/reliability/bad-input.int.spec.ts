import { mintToken } from '../../src/auth/mint-token';
import { ROLES } from '../../src/auth/roles';
import { fileRecord } from '../support/filed-record';
import { people } from '../support/people';
import { plainRecord, salesContract } from '../support/record-fixtures';
import { startTestApp, type TestApp } from '../support/test-app';
import { examplePathValues, OpenApi, urlOf, type Operation, type Schema } from './openapi';
import { envCount, printSummary, runSeed, seededRandom } from './summary';

/**
 * Bad input (issue 7, reliability 3): thousands of requests generated from the served OpenAPI
 * description — every operation it lists, so new routes are covered without editing this file —
 * each one a valid request with one thing broken: wrong types, missing, null and extra fields,
 * huge strings and bodies, deep JSON, invalid UTF-8 bytes, lone surrogates, non-object bodies,
 * malformed JSON, other content types, bad archive codes and path traversal in ids, bad dates,
 * numbers, enums, positions and cursors in queries. Seeded: RELIABILITY_SEED replays a run.
 *
 * Every answer must be a clear refusal (4xx, a JSON body with a stable error code and a message;
 * a 400 VALIDATION_FAILED lists the offending fields), never a 5xx, and the store must hold
 * exactly the events it held before.
 */
const CASES = envCount('RELIABILITY_FUZZ_CASES', 3000);
const SEED = runSeed();

/** The caller holds every role and the highest clearance, so requests get past the role checks. */
const superuser = { user: 'fuzz.everyone', roles: [...ROLES], unit: 'ARCHIVE', clearance: 'TOP_SECRET' };

interface Case {
  readonly operation: Operation;
  readonly kind: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly payload?: string | Buffer;
  /**
   * The request may legitimately be answered 2xx: a read asked an odd but harmless question (an
   * unknown borrower id, a free-text filter), or a route that declares no body was sent one (it
   * ignores it; counted, reported in the summary line).
   */
  readonly mayAccept?: boolean;
  /** A body mutated in one field must be refused with 400 naming that field (or 413 when too large). */
  readonly field?: string;
}

type Random = () => number;
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)];

const TRAVERSALS = [
  '../../etc/passwd',
  '..%2F..%2Fetc%2Fpasswd',
  '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '..%252F..%252Fetc%252Fpasswd',
  '....//....//etc/passwd',
  '..\\..\\windows\\win.ini',
  '%00',
  'Z001-WS-2024-D30-BGS-0007%00.L1',
  '%ZZ',
  '%C3%28',
  '%FF%FE',
];
const BAD_IDS = [
  'z001-ws-2024-d30-bgs-0007',
  'Z001-WS-2024-D30-BGS-00071',
  'Z001-WS-2024-D30-BGS',
  'Z001-WS-2024-X99-BGS-0007',
  'Z001-WS-2024-D30-BGS-0007.L0',
  'Z001-WS-2024-D30-BGS-0007.L',
  '.L1',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  '\u202eZ001',
  '档号',
  '-1',
  '1e999',
  '0x10',
  'NaN',
  'A'.repeat(5000),
];
const BAD_DATES = [
  '2024-13-45',
  '2024-02-30',
  'yesterday',
  '0000-00-00',
  '99999-01-01T00:00:00Z',
  '2024-01-01T25:61:00Z',
  '1e999',
];
const BAD_NUMBERS = [
  'NaN',
  '-1',
  '1e999',
  'abc',
  '1.5',
  '-0.0001',
  'Infinity',
  '0x10',
  '1e1',
  '99999999999999999999999',
];
const BAD_POSITIONS = ['-1', 'abc', '1.5', '1e3', '0x10', ' 1', '99999999999999999999999'];
const BAD_CURSORS = ['!!!', 'eyJ4IjoxfQ', 'A'.repeat(10_000), '../../etc/passwd', '%00', 'bnVsbA'];

function jsonTypeOf(schema: Schema): string {
  if (schema.enum?.length) return typeof schema.enum[0];
  switch (schema.type) {
    case 'integer':
      return 'number';
    case 'array':
      return 'array';
    case undefined:
      return schema.properties ? 'object' : 'unknown';
    default:
      return schema.type;
  }
}

const VALUES_BY_TYPE: Record<string, unknown> = {
  string: 'text',
  number: 12345,
  boolean: true,
  array: ['a', 1],
  object: { nested: 'object' },
};

/** Deep JSON, as text (built without recursion). */
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

class CaseGenerator {
  constructor(
    private readonly api: OpenApi,
    private readonly random: Random,
  ) {}

  /** `count` cases for one operation, cycling through every mutation that applies to it. */
  casesFor(operation: Operation, count: number): Case[] {
    const kinds = this.kindsFor(operation);
    return Array.from({ length: count }, (_, i) => this.make(operation, kinds[i % kinds.length]));
  }

  private kindsFor(operation: Operation): string[] {
    const kinds: string[] = [];
    const hasPath = operation.parameters.some((p) => p.in === 'path');
    const query = operation.parameters.filter((p) => p.in === 'query');
    if (operation.body) {
      const properties = Object.keys(operation.body.properties ?? {});
      if (properties.length > 0)
        kinds.push(
          'wrong-type',
          'extra-field',
          'huge-string',
          'invalid-utf8',
          'lone-surrogate',
          'deep-field',
        );
      if (operation.body.required?.length) kinds.push('missing-required', 'null-required', 'no-body');
      if (Object.values(operation.body.properties ?? {}).some((p) => this.api.resolve(p).enum))
        kinds.push('bad-enum');
      kinds.push(
        'proto-pollution',
        'not-an-object',
        'malformed-json',
        'deep-json',
        'huge-body',
        'content-type',
      );
    } else if (operation.method !== 'GET') {
      kinds.push('malformed-json', 'deep-json', 'huge-body');
    }
    if (hasPath) kinds.push('path-traversal', 'bad-id');
    if (query.length > 0) kinds.push('bad-query', 'bad-query', 'duplicate-query');
    if (operation.method !== 'GET') kinds.push('idempotency-key');
    if (kinds.length === 0) kinds.push('unknown-query');
    return kinds;
  }

  private make(operation: Operation, kind: string): Case {
    const random = this.random;
    const pathValues = examplePathValues(operation);
    const headers: Record<string, string> = {};
    const body = operation.body ? (this.api.sample(operation.body) as Record<string, unknown>) : undefined;
    const properties = Object.entries(operation.body?.properties ?? {}).map(
      ([name, schema]) => [name, this.api.resolve(schema)] as const,
    );
    const stringProperties = properties.filter(([, s]) => jsonTypeOf(s) === 'string' && !s.enum);
    const json = (value: unknown) => {
      headers['content-type'] = 'application/json';
      return JSON.stringify(value);
    };
    const withBody = (payload: string | Buffer | undefined, extra: Partial<Case> = {}): Case => ({
      operation,
      kind,
      url: urlOf(operation, pathValues),
      headers,
      ...(payload !== undefined ? { payload } : {}),
      mayAccept: operation.body === undefined,
      ...extra,
    });

    switch (kind) {
      case 'wrong-type': {
        const [name, schema] = pick(random, properties);
        const type = jsonTypeOf(schema);
        const other = pick(
          random,
          Object.keys(VALUES_BY_TYPE).filter((t) => t !== type),
        );
        return withBody(json({ ...body, [name]: VALUES_BY_TYPE[other] }), {
          kind: `${kind} ${name}=${other}`,
          field: name,
        });
      }
      case 'bad-enum': {
        const [name] = pick(
          random,
          properties.filter(([, s]) => s.enum),
        );
        return withBody(
          json({ ...body, [name]: pick(random, ['NOT_A_VALUE', '', 'approve ', 'APPROVE', '0']) }),
          {
            kind: `${kind} ${name}`,
            field: name,
          },
        );
      }
      case 'missing-required': {
        const name = pick(random, operation.body?.required ?? []);
        const { [name]: _dropped, ...rest } = body ?? {};
        return withBody(json(rest), { kind: `${kind} ${name}`, field: name });
      }
      case 'null-required': {
        const name = pick(random, operation.body?.required ?? []);
        return withBody(json({ ...body, [name]: null }), { kind: `${kind} ${name}`, field: name });
      }
      case 'no-body':
        return withBody(undefined);
      case 'extra-field': {
        const name = pick(random, [
          'isAdmin',
          'actor',
          'position',
          'eventId',
          'revision',
          `zz${Math.floor(random() * 1000)}`,
        ]);
        return withBody(json({ ...body, [name]: 'injected' }), { kind: `${kind} ${name}`, field: name });
      }
      case 'proto-pollution': {
        const key = pick(random, ['__proto__', 'constructor']);
        const text = JSON.stringify(body ?? {}).replace(
          /^\{/,
          `{"${key}":{"isAdmin":true,"prototype":{"polluted":true}},`,
        );
        headers['content-type'] = 'application/json';
        return withBody(text.replace(/,}$/, '}'), { kind: `${kind} ${key}` });
      }
      case 'huge-string': {
        const candidates = stringProperties.length > 0 ? stringProperties : properties;
        const [name, schema] = pick(random, candidates);
        const length = Math.max((schema.maxLength ?? 0) + 1, pick(random, [10_001, 100_000, 500_000]));
        return withBody(json({ ...body, [name]: '档'.repeat(length) }), {
          kind: `${kind} ${name}(${length})`,
          field: name,
        });
      }
      case 'invalid-utf8': {
        const candidates = stringProperties.length > 0 ? stringProperties : properties;
        const [name] = pick(random, candidates);
        const marker = '@@BYTES@@';
        const text = JSON.stringify({ ...body, [name]: marker });
        const [before, after] = text.split(JSON.stringify(marker));
        headers['content-type'] = 'application/json';
        const bytes = pick(random, [
          [0xc3, 0x28],
          [0xff, 0xfe],
          [0xed, 0xa0, 0x80],
          [0xe2, 0x82],
          [0xc0, 0xaf],
        ]);
        return withBody(
          Buffer.concat([Buffer.from(`${before}"a`), Buffer.from(bytes), Buffer.from(`b"${after}`)]),
          {
            kind: `${kind} ${name}`,
          },
        );
      }
      case 'lone-surrogate': {
        const candidates = stringProperties.length > 0 ? stringProperties : properties;
        const [name] = pick(random, candidates);
        const text = JSON.stringify({ ...body, [name]: '@@S@@' }).replace(
          '@@S@@',
          pick(random, ['\\ud800', 'a\\udfff', '\\udbff\\u0041']),
        );
        headers['content-type'] = 'application/json';
        return withBody(text, { kind: `${kind} ${name}`, field: name });
      }
      case 'deep-field': {
        const [name] = pick(random, properties);
        headers['content-type'] = 'application/json';
        const text = JSON.stringify({ ...body, [name]: '@@D@@' }).replace(
          '"@@D@@"',
          deepArray(pick(random, [40, 1000])),
        );
        return withBody(text, { kind: `${kind} ${name}`, field: name });
      }
      case 'deep-json':
        headers['content-type'] = 'application/json';
        return withBody(pick(random, [deepArray(10_000), `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`]));
      case 'not-an-object':
        return withBody(json(pick(random, [[], [body], 'text', 42, null, true])));
      case 'malformed-json':
        headers['content-type'] = 'application/json';
        return withBody(
          pick(random, [
            '{',
            '{"a":1,}',
            "{'a':1}",
            '{"a":NaN}',
            '{"a":1e400}',
            '{"a":undefined}',
            '\u0000',
            '{"a":"\u0001"}',
            '',
          ]),
        );
      case 'huge-body': {
        headers['content-type'] = 'application/json';
        return withBody(JSON.stringify({ ...body, padding: 'x'.repeat(1_100_000) }));
      }
      case 'content-type': {
        headers['content-type'] = pick(random, [
          'text/plain',
          'application/x-www-form-urlencoded',
          'multipart/form-data; boundary=x',
          'application/xml',
        ]);
        return withBody(JSON.stringify(body), { kind: `${kind} ${headers['content-type']}` });
      }
      case 'path-traversal':
      case 'bad-id': {
        const names = Object.keys(pathValues);
        const name = pick(random, names);
        const value = pick(random, kind === 'path-traversal' ? TRAVERSALS : BAD_IDS);
        const raw = kind === 'path-traversal';
        const url = urlOf(operation, pathValues, [], { encode: false }).replace(
          `/${raw ? pathValues[name] : encodeURIComponent(pathValues[name])}`,
          `/${raw ? value : encodeURIComponent(value)}`,
        );
        const bodyText = body !== undefined ? json(body) : undefined;
        return {
          operation,
          kind: `${kind} ${name}=${value.slice(0, 40)}`,
          url,
          headers,
          ...(bodyText !== undefined ? { payload: bodyText } : {}),
          // An unknown borrower id is a valid question (that person has no open loans).
          mayAccept: operation.method === 'GET' && name === 'borrowerId',
        };
      }
      case 'bad-query':
      case 'duplicate-query': {
        const parameter = pick(
          random,
          operation.parameters.filter((p) => p.in === 'query'),
        );
        const schema = parameter.schema ?? {};
        let values: readonly string[];
        if (parameter.name === 'after' || parameter.name === 'position' || parameter.name === 'treeSize')
          values = BAD_POSITIONS;
        else if (parameter.name === 'cursor') values = BAD_CURSORS;
        else if (schema.enum) values = ['NOT_A_VALUE', 'csv ', 'JSON', '0'];
        else if (jsonTypeOf(schema) === 'number') values = BAD_NUMBERS;
        else if (jsonTypeOf(schema) === 'boolean') values = ['yes', '2', 'TRUE ', 'null'];
        else if (/^(from|to|at|date)$/.test(parameter.name) || schema.format === 'date-time')
          values = BAD_DATES;
        else values = ['档'.repeat(100_000), '%00', '\u0000', "' OR 1=1 --", '.*', '(?:a+)+$'];
        const value = pick(random, values);
        const query: Array<[string, string]> =
          kind === 'duplicate-query'
            ? [
                [parameter.name, '1'],
                [parameter.name, '2'],
              ]
            : [[parameter.name, value]];
        const strict =
          kind === 'duplicate-query' ? true : values !== undefined && !values.includes("' OR 1=1 --");
        const bodyText = body !== undefined ? json(body) : undefined;
        return {
          operation,
          kind: `${kind} ${parameter.name}=${kind === 'duplicate-query' ? '1&2' : value.slice(0, 30)}`,
          url: urlOf(operation, pathValues, query),
          headers,
          ...(bodyText !== undefined ? { payload: bodyText } : {}),
          // Free-text filters may hold anything: an odd search simply finds nothing.
          mayAccept:
            !strict ||
            (kind === 'duplicate-query' &&
              !/^(limit|year|after|revision|fromRevision)$/.test(parameter.name) &&
              jsonTypeOf(schema) === 'string' &&
              !schema.enum),
        };
      }
      case 'idempotency-key': {
        headers['idempotency-key'] = pick(random, ['k'.repeat(10_000), ' ', '\t', 'a b', '../../x']);
        // The key is only checked once the body is valid: send a body broken in one field too.
        const required = operation.body?.required?.[0];
        const broken = required ? { ...body, [required]: null } : { zz: 1 };
        return withBody(operation.body ? json(broken) : json({ zz: 1 }), {
          kind: `${kind} ${headers['idempotency-key'].slice(0, 12)}`,
        });
      }
      case 'unknown-query':
        // A read without parameters: an unknown or odd query parameter changes nothing.
        return {
          operation,
          kind,
          url: urlOf(operation, pathValues, [
            [pick(random, ['zz', 'after', '__proto__']), pick(random, ['-1', '%00', 'x'.repeat(5000)])],
          ]),
          headers,
          mayAccept: true,
        };
      default:
        throw new Error(`unknown case kind ${kind}`);
    }
  }
}

describe('reliability: bad input generated from the OpenAPI description', () => {
  let t: TestApp;
  let api: OpenApi;
  beforeAll(async () => {
    t = await startTestApp();
    // Things for the path parameters to find, so requests get past "not found" into validation
    // and the deciders: the OpenAPI examples' records and a loan on one of them.
    await fileRecord(t, salesContract, people.archivist);
    await fileRecord(t, plainRecord('Z001-WS-2024-D30-BGS-0007', 'INTERNAL'), people.archivist);
    const loan = await t.request({
      method: 'POST',
      url: `/records/${salesContract.archiveCode}/loans`,
      as: people.salesperson,
      body: { mode: 'lend_out', purpose: '核对合同', days: 2 },
    });
    expect(loan.status).toBe(201);
    api = await OpenApi.served(t);
  });
  afterAll(() => t.close());

  it(`answers ${CASES} generated bad requests over every operation with a clear 4xx, never a 5xx, and writes nothing (seed ${SEED})`, async () => {
    const operations = api.operations();
    const generator = new CaseGenerator(api, seededRandom(SEED));
    const perOperation = Math.max(1, Math.ceil(CASES / operations.length));
    const cases = operations
      .flatMap((op) => generator.casesFor(op, perOperation))
      .slice(0, Math.max(CASES, operations.length));
    const token = await mintToken(t.config, superuser, { clock: t.clock });

    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let writes = 0;
    let serverErrors = 0;
    let unclear = 0;
    let accepted = 0;
    let count = await t.eventCount();
    for (const c of cases) {
      const response = await t.app.inject({
        method: c.operation.method,
        url: c.url,
        headers: { authorization: `Bearer ${token}`, ...c.headers },
        ...(c.payload !== undefined ? { payload: c.payload } : {}),
      });
      const status = response.statusCode;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      const where = `${c.operation.method} ${c.operation.path} [${c.kind}] ${c.url.slice(0, 120)}`;
      let body: { error?: unknown; message?: unknown; fields?: unknown } | undefined;
      try {
        body = JSON.parse(response.body) as typeof body;
      } catch {
        body = undefined;
      }
      if (status >= 500) {
        serverErrors++;
        failures.push(`${status} ${where}: ${response.body.slice(0, 300)}`);
      } else if (status < 400) {
        accepted++;
        if (!c.mayAccept) failures.push(`accepted ${status} ${where}: ${response.body.slice(0, 200)}`);
        if (response.body.includes('root:x:0:0')) failures.push(`file contents leaked ${where}`);
      } else {
        if (c.field !== undefined && status !== 413) {
          const named = Array.isArray(body?.fields)
            ? (body.fields as Array<{ field?: string }>).some(
                (f) =>
                  f.field === c.field ||
                  f.field?.startsWith(`${c.field}.`) ||
                  f.field?.startsWith(`${c.field}[`),
              )
            : false;
          if (status !== 400 || !named) {
            unclear++;
            failures.push(`not refused for ${c.field}: ${status} ${where}: ${response.body.slice(0, 200)}`);
          }
        }
        const clear =
          body !== undefined &&
          typeof body.error === 'string' &&
          /^[A-Z][A-Z0-9_]*$/.test(body.error) &&
          typeof body.message === 'string' &&
          body.message.length > 0 &&
          (body.error !== 'VALIDATION_FAILED' ||
            (Array.isArray(body.fields) &&
              body.fields.length > 0 &&
              body.fields.every(
                (f: { field?: unknown; problems?: unknown }) =>
                  typeof f.field === 'string' && Array.isArray(f.problems),
              )));
        if (!clear) {
          unclear++;
          failures.push(`unclear ${status} ${where}: ${response.body.slice(0, 200)}`);
        }
      }
      const now = await t.eventCount();
      if (now !== count) {
        writes++;
        failures.push(`wrote ${now - count} event(s): ${status} ${where}`);
        count = now;
      }
    }

    const byStatus = [...statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([s, n]) => `${s}×${n}`)
      .join(' ');
    printSummary(
      `bad input: ${cases.length} requests over ${operations.length} operations (seed ${SEED}), ` +
        `${serverErrors} × 5xx, ${unclear} unclear rejections, ${writes} writes, ${accepted} answered 2xx (${byStatus})`,
    );
    expect(failures).toEqual([]);
  }, 170_000);
});
