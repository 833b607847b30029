import {
  documentTokens,
  normaliseText,
  searchTerms,
  searchableText,
  termTokens,
  textValues,
} from './text-search';

const isSubset = (tokens: readonly string[], of: readonly string[]) => {
  const set = new Set(of);
  return tokens.every((token) => set.has(token));
};

describe('text search tokens', () => {
  it('indexes a Chinese document under the bigram of a two-character term it contains', () => {
    expect(termTokens('合同')).toEqual(['合同']);
    expect(isSubset(termTokens('合同'), documentTokens(['客户合同档案']))).toBe(true);
    expect(isSubset(termTokens('合同'), documentTokens(['合作协议']))).toBe(false);
  });

  it('gives a longer term all its bigrams, each once', () => {
    expect(termTokens('档案管理')).toEqual(['档案', '案管', '管理']);
    expect(termTokens('哈哈哈')).toEqual(['哈哈']);
    expect(isSubset(termTokens('档案管理'), documentTokens(['文书档案管理办法']))).toBe(true);
    // Each bigram present, but not adjacent: the pre-filter passes, the substring check must decide.
    expect(isSubset(termTokens('档案管理'), documentTokens(['档案', '案管理']))).toBe(true);
  });

  it('is case-insensitive for Latin letters', () => {
    expect(searchTerms('AB')).toEqual(['ab']);
    expect(termTokens('AB')).toEqual(['ab']);
    expect(isSubset(termTokens('ab'), documentTokens(['Project AB-7']))).toBe(true);
    expect(isSubset(termTokens('AB'), documentTokens(['project ab-7']))).toBe(true);
    expect(searchableText(['Project AB-7'])).toBe('project ab-7');
  });

  it('folds full-width letters and digits to half-width (NFKC)', () => {
    expect(searchTerms('ＡＢ１２')).toEqual(['ab12']);
    expect(searchableText(['档号ＷＳ－２０２４'])).toBe('档号ws-2024');
    expect(isSubset(termTokens('ws-2024'), documentTokens(['档号ＷＳ－２０２４']))).toBe(true);
    expect(isSubset(termTokens('ＷＳ'), documentTokens(['ws'])) && termTokens('ＷＳ')[0] === 'ws').toBe(true);
  });

  it('uses a one-character term itself as a unigram', () => {
    expect(termTokens('档')).toEqual(['档']);
    expect(termTokens('Ａ')).toEqual(['a']);
    expect(isSubset(termTokens('档'), documentTokens(['人事档案']))).toBe(true);
    expect(isSubset(termTokens('档'), documentTokens(['人事资料']))).toBe(false);
    expect(termTokens('')).toEqual([]);
  });

  it('counts characters outside the BMP as one character', () => {
    expect(termTokens('𠀀')).toEqual(['𠀀']);
    expect(termTokens('𠀀档')).toEqual(['𠀀档']);
    expect(isSubset(termTokens('𠀀档'), documentTokens(['甲𠀀档乙']))).toBe(true);
  });

  it('never makes a token across two values or across whitespace', () => {
    const tokens = documentTokens(['客户', '合同 档案']);
    expect(tokens).not.toContain('户合');
    expect(tokens).not.toContain('同 ');
    expect(tokens).not.toContain(' ');
    expect(tokens).toEqual(expect.arrayContaining(['客', '户', '客户', '合同', '档案']));
    expect(new Set(tokens).size).toBe(tokens.length);
  });

  it('tokenises exactly like the plain definition: every unigram and bigram without whitespace', () => {
    const reference = (values: string[]) => {
      const tokens = new Set<string>();
      for (const value of values) {
        const chars = Array.from(normaliseText(value));
        chars.forEach((char, i) => {
          if (/\s/u.test(char)) return;
          tokens.add(char);
          if (i + 1 < chars.length && !/\s/u.test(chars[i + 1])) tokens.add(char + chars[i + 1]);
        });
      }
      return [...tokens].sort();
    };
    const samples = [
      ['客户合同档案', 'Project AB-7'],
      ['a\u00a0b\u1680c\u2000d\u200ae\u2028f\u2029g\u202fh\u205fi\u3000j\ufeffk\tl\vm\fn\ro'],
      ['𠀀𪚥 生僻字😀', 'ＡＢＣ　１２３', ' lead and trail '],
      ['', ' ', '档'],
    ];
    for (const values of samples) expect([...documentTokens(values)].sort()).toEqual(reference(values));
  });

  it('splits a query on any whitespace, including the ideographic space, and drops duplicates', () => {
    expect(searchTerms('  合同\u3000档案\t合同  ')).toEqual(['合同', '档案']);
    expect(searchTerms('   ')).toEqual([]);
    expect(searchTerms('Contract CONTRACT')).toEqual(['contract']);
  });

  it('joins the normalised values with a newline, which no term can hold', () => {
    expect(searchableText(['客户合同', 'ABC'])).toBe('客户合同\nabc');
    expect(searchTerms('客户合同\nabc')).toEqual(['客户合同', 'abc']);
  });

  it('normalises idempotently', () => {
    for (const sample of ['ＡＢｃ', 'Ǆ', 'ẞ', 'İstanbul', '㍿', '客户合同']) {
      const once = normaliseText(sample);
      expect(normaliseText(once)).toBe(once);
    }
  });

  it('takes the text values of string, string-array and nested fields, in field order', () => {
    const doc = {
      id: 'r-1',
      title: '客户合同档案',
      keywords: ['合同', '客户', 7],
      fonds: { name: '市档案馆' },
      parties: [{ name: '甲方公司' }, { name: '乙方公司' }],
      pages: 12,
    };
    expect(textValues(doc, ['title', 'keywords', 'fonds.name', 'parties.name', 'pages', 'missing'])).toEqual([
      '客户合同档案',
      '合同',
      '客户',
      '市档案馆',
      '甲方公司',
      '乙方公司',
    ]);
  });
});
