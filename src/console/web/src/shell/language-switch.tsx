import { LANGS, useLang } from '../i18n/i18n';

/** 中文 | English: each language named in itself, so a reader of either can find it. */
export function LanguageSwitch() {
  const { lang, setLang } = useLang();
  return (
    <span className="lang" role="group" aria-label="language / 语言">
      {LANGS.map((code) => (
        <button
          key={code}
          type="button"
          className={code === lang ? 'active' : ''}
          onClick={() => setLang(code)}
        >
          {code === 'zh' ? '中文' : 'English'}
        </button>
      ))}
    </span>
  );
}
