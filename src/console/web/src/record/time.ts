import { useMemo } from 'react';
import { useLang } from '../i18n/i18n';

/** Moments to the second (a record's events are often seconds apart), in the browser's time zone. */
export function useMoment(): (iso: string | null | undefined) => string {
  const { lang } = useLang();
  return useMemo(() => {
    const format = new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
      dateStyle: 'medium',
      timeStyle: 'medium',
    });
    return (iso) => (iso ? format.format(new Date(iso)) : '—');
  }, [lang]);
}

const pad = (n: number) => String(n).padStart(2, '0');

/** A moment as a `datetime-local` input writes it: local time, to the second. */
export function toLocalInput(date: Date): string {
  return (
    `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}` +
    `T${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`
  );
}

/** What a `datetime-local` input holds (local time) as the ISO timestamp with a zone the API asks for. */
export function fromLocalInput(value: string): string | undefined {
  if (value === '') return undefined;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}
