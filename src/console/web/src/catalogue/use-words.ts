import { useCallback } from 'react';
import { useLang } from '../i18n/i18n';
import { vocabulary, type VocabularyKey } from './vocabulary';

/** `word('status', 'on_loan')` → 借出中 / On loan; an unknown value is shown as the service gave it. */
export function useWords(): (kind: string, value: string) => string {
  const { lang } = useLang();
  return useCallback(
    (kind, value) => {
      const key = `${kind}.${value}` as VocabularyKey;
      return vocabulary[lang][key] ?? value;
    },
    [lang],
  );
}
