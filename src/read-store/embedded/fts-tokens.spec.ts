import { documentTokens, searchableText, searchTerms, termTokens } from '../text-search';
import { ftsDocument, ftsQuery, ftsWord } from './fts-tokens';

describe('FTS words for the n-gram index', () => {
  const samples = [
    ['客户合同档案', 'Project AB-7'],
    ['A001-WS·2024-Y30-0001', '第一季度记账凭证，附件（共3页）'],
    ['a\u00a0b\u1680c\u2000d\u200ae\u2028f\u2029g\u202fh\u205fi\u3000j\ufeffk\tl\vm\fn\ro'],
    ['𠀀𪚥 生僻字😀', 'ＡＢＣ　１２３', ' lead and trail ', '哈哈哈哈'],
    ['', ' ', '档'],
  ];

  it('indexes a document under exactly the FTS words of its documentTokens', () => {
    for (const values of samples) {
      const text = searchableText(values);
      const expected = documentTokens(values).map(ftsWord).sort();
      expect(ftsDocument(text).split(' ').filter(Boolean).sort()).toEqual(expected);
    }
  });

  it('writes each token as one plain ASCII word: four base-36 digits per character', () => {
    expect(ftsWord('合')).toBe((0x5408).toString(36).padStart(4, '0'));
    expect(ftsWord('合同')).toHaveLength(8);
    expect(ftsWord('𠀀')).toHaveLength(4);
    for (const word of ftsDocument(searchableText(samples.flat())).split(' ')) {
      expect(word).toMatch(/^[0-9a-z]{4}(?:[0-9a-z]{4})?$/);
    }
  });

  it('asks for every token of every term, and nothing for no terms', () => {
    expect(ftsQuery(searchTerms('合同 档案管理'))).toBe(
      ['合同', '档案', '案管', '管理'].map((token) => `"${ftsWord(token)}"`).join(' AND '),
    );
    expect(ftsQuery(['档'])).toBe(`"${ftsWord('档')}"`);
    expect(ftsQuery([])).toBeUndefined();
    const words = new Set(ftsDocument(searchableText(['客户合同档案'])).split(' '));
    expect(termTokens('合同档').every((token) => words.has(ftsWord(token)))).toBe(true);
  });
});
