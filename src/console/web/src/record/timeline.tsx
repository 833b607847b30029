import { useLang, useT } from '../i18n/i18n';
import { useWords } from '../catalogue/use-words';
import { fieldMessages, recordMessages } from './messages';
import { useMoment } from './time';
import type { FieldChange, HistoryEntry } from './types';

function valueText(value: unknown): string {
  if (value === null || value === undefined || value === '') return '—';
  if (Array.isArray(value)) return value.map(valueText).join('、');
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function Changes({ changes }: { changes: readonly FieldChange[] }) {
  const t = useT(recordMessages);
  const { lang } = useLang();
  const fieldName = (field: string) =>
    (fieldMessages[lang] as Record<string, string | undefined>)[field] ?? field;
  return (
    <table className="changes" data-testid="timeline-changes">
      <thead>
        <tr>
          <th>{t('field')}</th>
          <th>{t('before')}</th>
          <th>{t('after')}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((change) => (
          <tr key={change.field}>
            <td>{fieldName(change.field)}</td>
            <td className="before">{valueText(change.before)}</td>
            <td className="after">{valueText(change.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/**
 * 档案历史: every event of the record, oldest first — what happened (the summary line in the chosen
 * language), who (id, roles, unit), when it occurred and when it was recorded, why, and for
 * corrections the fields before and after.
 */
export function Timeline({
  entries,
  selectedRevision,
  onPick,
}: {
  entries: readonly HistoryEntry[];
  selectedRevision: number | undefined;
  onPick: (revision: number) => void;
}) {
  const t = useT(recordMessages);
  const { lang } = useLang();
  const word = useWords();
  const moment = useMoment();
  return (
    <ol className="timeline" data-testid="timeline">
      {entries.map((entry) => (
        <li
          key={entry.revision}
          data-testid="timeline-entry"
          data-revision={entry.revision}
          data-type={entry.type}
          className={entry.revision === selectedRevision ? 'selected' : undefined}
        >
          <div className="summary">{entry.summary[lang]}</div>
          <div className="meta">
            <span>{t('revision', { revision: entry.revision })}</span> · <code>{entry.type}</code> ·{' '}
            <span data-testid="timeline-who">
              {t('who', {
                id: entry.actor.id,
                roles: entry.actor.roles.map((role) => word('role', role)).join(lang === 'zh' ? '、' : ', '),
                unit: entry.actor.unit,
              })}
            </span>
          </div>
          <div className="meta">
            {t('occurredAt')} <time dateTime={entry.occurredAt}>{moment(entry.occurredAt)}</time> ·{' '}
            {t('recordedAt')} <time dateTime={entry.recordedAt}>{moment(entry.recordedAt)}</time>
          </div>
          {entry.reason ? (
            <div className="meta" data-testid="timeline-reason">
              {t('reason', { reason: entry.reason })}
            </div>
          ) : null}
          {entry.changes && entry.changes.length > 0 ? <Changes changes={entry.changes} /> : null}
          <button
            type="button"
            className="link"
            data-testid="timeline-state-after"
            onClick={() => onPick(entry.revision)}
          >
            {t('stateAfterThis')}
          </button>
        </li>
      ))}
    </ol>
  );
}
