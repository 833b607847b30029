import type { TestApp } from '../support/test-app';

/**
 * The served OpenAPI description (`/docs/openapi.json`, as test/architecture/role-matrix.int.spec.ts
 * reads it), turned into a list of operations the reliability suites drive. Generic on purpose: a
 * route added tomorrow is covered without touching these suites.
 */
export interface Schema {
  readonly type?: string;
  readonly $ref?: string;
  readonly allOf?: readonly Schema[];
  readonly enum?: readonly unknown[];
  readonly example?: unknown;
  readonly default?: unknown;
  readonly properties?: Readonly<Record<string, Schema>>;
  readonly required?: readonly string[];
  readonly items?: Schema;
  readonly minimum?: number;
  readonly maximum?: number;
  readonly maxLength?: number;
  readonly format?: string;
}

export interface Parameter {
  readonly name: string;
  readonly in: 'path' | 'query' | 'header' | 'cookie';
  readonly required?: boolean;
  readonly schema?: Schema;
  readonly example?: unknown;
}

export interface Operation {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** OpenAPI form, e.g. `/records/{code}/loans`. */
  readonly path: string;
  readonly parameters: readonly Parameter[];
  /** The JSON body's schema, resolved; undefined when the operation declares no body. */
  readonly body?: Schema;
}

interface OpenApiDocument {
  readonly paths: Record<
    string,
    Record<
      string,
      { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema?: Schema }> } }
    >
  >;
  readonly components?: { readonly schemas?: Record<string, Schema> };
}

export class OpenApi {
  private constructor(private readonly doc: OpenApiDocument) {}

  static async served(t: TestApp): Promise<OpenApi> {
    const response = await t.request({ method: 'GET', url: '/docs/openapi.json' });
    if (response.status !== 200) throw new Error(`GET /docs/openapi.json answered ${response.status}`);
    return new OpenApi(response.body as OpenApiDocument);
  }

  /** Every operation the API serves except the public health probes. */
  operations(): Operation[] {
    const operations: Operation[] = [];
    for (const [path, methods] of Object.entries(this.doc.paths)) {
      if (path.startsWith('/health/')) continue;
      for (const [method, operation] of Object.entries(methods)) {
        const schema = operation.requestBody?.content?.['application/json']?.schema;
        operations.push({
          method: method.toUpperCase() as Operation['method'],
          path,
          parameters: (operation.parameters ?? []).map((p) => ({
            ...p,
            schema: p.schema && this.resolve(p.schema),
          })),
          ...(schema ? { body: this.resolve(schema) } : {}),
        });
      }
    }
    return operations;
  }

  /** `$ref` and a single-element `allOf` (how @nestjs/swagger wraps a described nested DTO) resolved. */
  resolve(schema: Schema): Schema {
    if (schema.$ref) {
      const name = schema.$ref.replace('#/components/schemas/', '');
      const target = this.doc.components?.schemas?.[name];
      if (!target) throw new Error(`unresolvable ${schema.$ref}`);
      return this.resolve(target);
    }
    if (schema.allOf?.length === 1) {
      const { allOf, ...rest } = schema;
      return { ...this.resolve(allOf[0]), ...rest };
    }
    return schema;
  }

  /** A plausible valid value: the example, else the default, else one made from the type. */
  sample(schema: Schema, depth = 0): unknown {
    const s = this.resolve(schema);
    if (s.example !== undefined) return s.example;
    if (s.default !== undefined) return s.default;
    if (s.enum?.length) return s.enum[0];
    switch (s.type) {
      case 'string':
        return 'x';
      case 'number':
      case 'integer':
        return s.minimum ?? 1;
      case 'boolean':
        return true;
      case 'array':
        return s.items && depth < 4 ? [this.sample(s.items, depth + 1)] : [];
      default: {
        const out: Record<string, unknown> = {};
        if (depth < 4) {
          for (const [name, property] of Object.entries(s.properties ?? {})) {
            if (s.required?.includes(name)) out[name] = this.sample(property, depth + 1);
          }
        }
        return out;
      }
    }
  }
}

/** The OpenAPI path with `{param}` filled in (values encoded), plus a query string. */
export function urlOf(
  operation: Operation,
  pathValues: Readonly<Record<string, string>>,
  query: ReadonlyArray<readonly [string, string]> = [],
  { encode = true }: { encode?: boolean } = {},
): string {
  const path = operation.path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = pathValues[name] ?? 'x';
    return encode ? encodeURIComponent(value) : value;
  });
  const search = query.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&');
  return search ? `${path}?${search}` : path;
}

/** A valid value for each path parameter: its example, else a fixed one. */
export function examplePathValues(operation: Operation): Record<string, string> {
  const values: Record<string, string> = {};
  for (const p of operation.parameters.filter((x) => x.in === 'path')) {
    const example = p.example ?? p.schema?.example;
    values[p.name] = example !== undefined ? String(example) : (DEFAULT_PATH_VALUES[p.name] ?? 'x');
  }
  return values;
}

const DEFAULT_PATH_VALUES: Readonly<Record<string, string>> = {
  code: 'Z001-WS-2024-D30-BGS-0007',
  loanId: 'Z001-WS-2024-D30-SALES-0001.L1',
  correctionId: 'C1',
  holdId: 'H1',
  version: '1',
};
