import type { FieldProblem } from '../domain-kernel/domain-error';

/** Deeper JSON is refused before validation (no request of this API nests anywhere near it). */
export const MAX_JSON_DEPTH = 32;

/**
 * Checks a parsed JSON body without recursion: nesting no deeper than MAX_JSON_DEPTH, and every
 * string well-formed Unicode (no lone surrogates), since stored events are hashed as RFC 8785
 * canonical JSON, which requires I-JSON. Returns the first problem found.
 */
export function findJsonBodyProblem(body: unknown): FieldProblem | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value: body, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value, path, depth } = stack.pop() as { value: unknown; path: string; depth: number };
    if (typeof value === 'string') {
      if (!(value as string & { isWellFormed(): boolean }).isWellFormed()) {
        return { field: path || 'body', problems: ['must be well-formed Unicode text (no lone surrogates)'] };
      }
    } else if (value !== null && typeof value === 'object') {
      if (depth >= MAX_JSON_DEPTH) {
        return { field: path || 'body', problems: [`must not nest deeper than ${MAX_JSON_DEPTH} levels`] };
      }
      const entries = Array.isArray(value)
        ? value.map((v, i) => [`[${i}]`, v] as const)
        : Object.entries(value);
      for (const [name, child] of entries) {
        const childPath = name.startsWith('[') ? `${path}${name}` : path ? `${path}.${name}` : name;
        if (!(name as string & { isWellFormed(): boolean }).isWellFormed()) {
          return { field: path || 'body', problems: ['property names must be well-formed Unicode text'] };
        }
        stack.push({ value: child, path: childPath, depth: depth + 1 });
      }
    }
  }
  return undefined;
}
