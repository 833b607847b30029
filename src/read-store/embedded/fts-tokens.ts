import { termTokens } from '../text-search';

/**
 * The embedded store keeps the n-gram index of text-search.ts in an FTS5 table used purely as a
 * posting-list engine (contentless, no positions): each document is indexed under its
 * `documentTokens`, a query asks for every `termTokens` of every term. FTS5 would split raw
 * n-grams at punctuation (`-w`, `·2`), so each token is written as an opaque ASCII word: four
 * base-36 digits per code point (a unigram is 4 characters, a bigram 8). The `ascii` tokenizer then
 * sees exactly one word per token, and the index answers exactly the n-gram pre-filter — the
 * substring itself is still confirmed on the stored text.
 *
 * The table is contentless (`content=''`): it stores postings only, and forgets a document through
 * the 'delete' command given the same tokens (recomputed from the stored text) — about 9× faster
 * than `contentless_delete=1`'s tombstones.
 *
 * Why FTS5 rather than a (token, rid) B-tree: FTS5 buffers a transaction's postings and writes them
 * as compressed segments — about 30× faster to fill and 9× smaller on a realistic catalogue — and
 * intersects posting lists itself.
 */

/**
 * Bump when documentTokens or ftsWord change: stored n-grams are then rebuilt at start, since a
 * contentless FTS5 table can only forget a document given the very tokens it was indexed under.
 */
export const FTS_TOKENIZER_VERSION = 1;

const CODE_CACHE_LIMIT = 200_000;
const codes = new Map<string, string>();

/** The FTS word for one token (a unigram or bigram of normalised text). */
export function ftsWord(token: string): string {
  let word = codes.get(token);
  if (word === undefined) {
    word = '';
    for (const char of token) word += (char.codePointAt(0) as number).toString(36).padStart(4, '0');
    if (codes.size >= CODE_CACHE_LIMIT) codes.clear();
    codes.set(token, word);
  }
  return word;
}

/**
 * What FTS5 indexes for a document whose searchable text is `text` (already normalised by
 * searchableText): the ftsWord of each of its documentTokens, computed on code points in one pass
 * (this runs twice for every document whose text changes, so it avoids building token strings).
 */
export function ftsDocument(text: string): string {
  const seen = new Set<number>();
  const words: string[] = [];
  let previous = -1;
  let previousCode = '';
  for (const char of text) {
    const point = char.codePointAt(0) as number;
    if (isSpace(point, char)) {
      previous = -1;
      continue;
    }
    const code = pointCode(point);
    if (!seen.has(point)) {
      seen.add(point);
      words.push(code);
    }
    if (previous >= 0) {
      const pair = 0x110000 + previous * 0x110000 + point;
      if (!seen.has(pair)) {
        seen.add(pair);
        words.push(previousCode + code);
      }
    }
    previous = point;
    previousCode = code;
  }
  return words.join(' ');
}

const pointCodes = new Map<number, string>();

function pointCode(point: number): string {
  let code = pointCodes.get(point);
  if (code === undefined) {
    code = point.toString(36).padStart(4, '0');
    if (pointCodes.size >= CODE_CACHE_LIMIT) pointCodes.clear();
    pointCodes.set(point, code);
  }
  return code;
}

/** The whitespace of text-search.ts (`\s`), tested on a code point. */
function isSpace(point: number, char: string): boolean {
  if (point > 0x20 && point < 0x7f) return false;
  if (point >= 0x3400 && point < 0xfeff) return false;
  return /\s/u.test(char);
}

/** The FTS5 MATCH expression requiring every token of every term; undefined when there are none. */
export function ftsQuery(terms: readonly string[]): string | undefined {
  const words = [...new Set(terms.flatMap((term) => termTokens(term)))].map(ftsWord);
  return words.length === 0 ? undefined : words.map((word) => `"${word}"`).join(' AND ');
}
