import type { Cursors } from '../api/use-cursors';
import { useLang, useT } from '../i18n/i18n';
import { useWords } from '../catalogue/use-words';
import { CAPACITY_EN, dispositionMessages, type DispositionKey } from './messages';
import type { ListStatus, SigningRequirement } from './types';

/** The desk's translate function, plus the labels of codes the service answers with. */
export function useLabels() {
  const t = useT(dispositionMessages);
  const { lang } = useLang();
  const word = useWords();
  const label = (prefix: string, code: string) => {
    const key = `${prefix}_${code}` as DispositionKey;
    return key in dispositionMessages.zh ? t(key) : code;
  };
  return {
    t,
    lang,
    retention: (code: string) => label('retention', code),
    classification: (code: string) => label('class', code),
    status: (code: string) => label('status', code),
    witness: (code: string) => label('witness', code),
    /** What a command did, from the events it answered with. */
    done: (events: readonly string[]) =>
      events.map((e) => label('event', e)).join(lang === 'zh' ? '；' : '; '),
    capacity: (r: SigningRequirement | undefined, code: string) =>
      lang === 'zh' ? (r?.label ?? code) : (CAPACITY_EN[code] ?? r?.label ?? code),
    role: (code: string) => word('role', code),
  };
}

export function StatusBadge({ status }: { status: ListStatus }) {
  const { status: label } = useLabels();
  return (
    <span className={`badge list-status ${status}`} data-testid="list-status" data-status={status}>
      {label(status)}
    </span>
  );
}

export function Pager({
  pager,
  nextCursor,
  total,
}: {
  pager: Cursors;
  nextCursor: string | null | undefined;
  total: number | undefined;
}) {
  const { t } = useLabels();
  return (
    <div className="pager no-print" data-testid="pager">
      <button type="button" disabled={pager.pageNumber <= 1} onClick={() => pager.previous()}>
        {t('previous')}
      </button>
      <span>{pager.pageNumber}</span>
      <button type="button" disabled={!nextCursor} onClick={() => nextCursor && pager.next(nextCursor)}>
        {t('next')}
      </button>
      {total !== undefined ? <span className="muted">{t('total', { n: total })}</span> : null}
    </div>
  );
}
