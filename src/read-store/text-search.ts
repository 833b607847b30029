/**
 * Substring text search that works for Chinese without a segmenter, shared by both read-store
 * adapters so that the same query finds the same documents on SQLite and on MongoDB.
 *
 * Semantics (the read-store port's `text`): a query is split into whitespace-separated terms; a
 * document matches when every term is a substring of one of its text values, after both sides are
 * normalised the same way (Unicode NFKC — full-width letters and digits become half-width — then
 * lower-cased). A term never spans two values: values are kept apart by '\n', which no term holds.
 *
 * Indexing: a document is indexed under every character unigram and bigram of its normalised values
 * (`documentTokens`). A term's tokens (`termTokens`: its bigrams, or itself when it is one character)
 * are then a subset of the tokens of every document that contains it, so an index lookup of all of
 * them is a complete pre-filter; adapters confirm the real substring match against the stored
 * `searchableText`. Characters are code points, not UTF-16 units, so CJK extension characters count
 * as one.
 */

const WHITESPACE = /\s+/u;

/**
 * The one normalisation both the index side and the query side apply: NFKC, then lower case. It is
 * idempotent (re-applied until stable), so normalising an already normalised term changes nothing.
 */
export function normaliseText(value: string): string {
  let current = value;
  for (let round = 0; round < 4; round += 1) {
    const next = current.normalize('NFKC').toLowerCase();
    if (next === current) return next;
    current = next;
  }
  return current;
}

/** The terms of a text query: NFKC, lower-cased, split on whitespace, empty dropped, deduplicated. */
export function searchTerms(text: string): string[] {
  const terms = new Set<string>();
  for (const term of normaliseText(text).split(WHITESPACE)) {
    if (term !== '') terms.add(term);
  }
  return [...terms];
}

/**
 * The index tokens every document containing `term` must have: the term's distinct character
 * bigrams, or the term itself when it is a single character. The term is normalised first (a
 * no-op for terms that come from `searchTerms`).
 */
export function termTokens(term: string): string[] {
  const chars = Array.from(normaliseText(term));
  if (chars.length === 0) return [];
  if (chars.length === 1) return [chars[0]];
  const tokens = new Set<string>();
  for (let i = 0; i + 1 < chars.length; i += 1) tokens.add(chars[i] + chars[i + 1]);
  return [...tokens];
}

/**
 * The distinct tokens of a document's text values: every character unigram and bigram of each
 * normalised value. Tokens holding whitespace are left out — no term holds whitespace — and bigrams
 * never span two values.
 */
export function documentTokens(values: readonly string[]): string[] {
  const tokens = new Set<string>();
  for (const value of values) {
    let previous = '';
    // for…of walks code points; `previous` is '' at the start and after whitespace.
    for (const char of normaliseText(value)) {
      if (isSpace(char)) {
        previous = '';
        continue;
      }
      tokens.add(char);
      if (previous !== '') tokens.add(previous + char);
      previous = char;
    }
  }
  return [...tokens];
}

/** `\s` for one character, without a regex for the common (ASCII letter, CJK) case. */
function isSpace(char: string): boolean {
  const code = char.charCodeAt(0);
  if (code > 0x20 && code < 0x7f) return false;
  if (code >= 0x3400 && code < 0xfeff) return false; // CJK and surrogates: no whitespace there
  return WHITESPACE.test(char);
}

/** The normalised values joined with '\n': what adapters store to confirm a substring match. */
export function searchableText(values: readonly string[]): string {
  return values.map(normaliseText).join('\n');
}

/**
 * The text values of a document for a collection's `text` fields (dotted paths), in field order:
 * a string field gives itself, a string-array field each of its strings; arrays of objects are
 * walked into (`parties.name`), like MongoDB paths. Other values (numbers, missing) give nothing.
 */
export function textValues(doc: unknown, fields: readonly string[]): string[] {
  const values: string[] = [];
  for (const field of fields) collect(doc, field.split('.'), 0, values);
  return values;
}

function collect(value: unknown, path: readonly string[], depth: number, out: string[]): void {
  if (Array.isArray(value)) {
    for (const element of value) collect(element, path, depth, out);
    return;
  }
  if (depth === path.length) {
    if (typeof value === 'string') out.push(value);
    return;
  }
  if (value !== null && typeof value === 'object') {
    const child = (value as Record<string, unknown>)[path[depth]];
    if (child !== undefined) collect(child, path, depth + 1, out);
  }
}
