import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/** The console speaks Chinese by default and English on request. */
export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

/**
 * A page's texts in both languages. The type makes a key missing in either language a compile
 * error, so no page can ship half-translated. `{name}` in a text is replaced by the parameter `name`.
 */
export interface Messages<K extends string> {
  readonly zh: Readonly<Record<K, string>>;
  readonly en: Readonly<Record<K, string>>;
}

export function defineMessages<K extends string>(messages: Messages<K>): Messages<K> {
  return messages;
}

export type Translate<K extends string> = (
  key: K,
  params?: Readonly<Record<string, string | number>>,
) => string;

const STORAGE_KEY = 'archive-ledger.lang';

interface LangState {
  readonly lang: Lang;
  readonly setLang: (lang: Lang) => void;
}

const LangContext = createContext<LangState>({ lang: 'zh', setLang: () => undefined });

function initialLang(): Lang {
  const stored = localStorage.getItem(STORAGE_KEY);
  return stored === 'en' || stored === 'zh' ? stored : 'zh';
}

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next === 'zh' ? 'zh-CN' : 'en';
    setLangState(next);
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** `const t = useT(messages); t('title')` */
export function useT<K extends string>(messages: Messages<K>): Translate<K> {
  const { lang } = useLang();
  return useCallback(
    (key, params) => {
      const text = messages[lang][key];
      if (params === undefined) return text;
      return text.replace(/\{(\w+)\}/g, (whole, name: string) =>
        name in params ? String(params[name]) : whole,
      );
    },
    [lang, messages],
  );
}

/** Dates and times as people of the chosen language write them, in the browser's time zone. */
export function useFormat() {
  const { lang } = useLang();
  return useMemo(() => {
    const locale = lang === 'zh' ? 'zh-CN' : 'en-GB';
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    const date = new Intl.DateTimeFormat(locale, { dateStyle: 'medium' });
    const number = new Intl.NumberFormat(locale);
    return {
      dateTime: (iso: string | undefined | null) => (iso ? dateTime.format(new Date(iso)) : '—'),
      /** A calendar date (YYYY-MM-DD) shown as written, never shifted by the time zone. */
      date: (day: string | undefined | null) =>
        day ? (/^\d{4}-\d{2}-\d{2}$/.test(day) ? date.format(new Date(`${day}T12:00:00`)) : day) : '—',
      number: (n: number) => number.format(n),
    };
  }, [lang]);
}
