import { useEffect, useState, type FormEvent } from 'react';
import { apiGet } from '../api/client';
import { useApi } from '../api/use-api';
import { useLang, useT } from '../i18n/i18n';
import { useWords } from '../catalogue/use-words';
import { ErrorBox, Loading } from '../shell/error-box';
import { recordMessages } from './messages';
import { fromLocalInput, toLocalInput, useMoment } from './time';
import type { HistoryEntry, Holder, RecordState, TimedApproval } from './types';

/** Which past state is shown: at a moment (by recorded or occurred time) or after an event. */
export type AsOf =
  | { readonly kind: 'time'; readonly at: string; readonly by: 'recorded' | 'occurred' }
  | { readonly kind: 'revision'; readonly revision: number };

function Approvals({ approvals }: { approvals: readonly TimedApproval[] }) {
  const t = useT(recordMessages);
  const word = useWords();
  const moment = useMoment();
  if (approvals.length === 0) return <p>{t('noApprovalNeeded')}</p>;
  return (
    <table className="approvals">
      <thead>
        <tr>
          <th>{t('approvals')}</th>
          <th>{t('approver')}</th>
          <th>{t('opinion')}</th>
          <th>{t('approvedAt')}</th>
        </tr>
      </thead>
      <tbody>
        {approvals.map((approval) => (
          <tr key={`${approval.revision}-${approval.role}`} data-testid="state-approval">
            <td>
              {word('role', approval.role)}
              {approval.unit ? ` (${approval.unit})` : ''}
            </td>
            <td>
              {approval.approver.id} ({approval.approver.unit})
            </td>
            <td>{approval.opinion ?? '—'}</td>
            <td>{moment(approval.approvedAt)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function HolderCard({ holder }: { holder: Holder }) {
  const t = useT(recordMessages);
  const word = useWords();
  const moment = useMoment();
  const who =
    holder.borrower.type === 'staff'
      ? `${holder.borrower.id} (${holder.borrower.unit})`
      : `${holder.borrower.name} (${holder.borrower.organisation})`;
  return (
    <div className="holder" data-testid="state-holder" data-loan={holder.loanId}>
      <dl className="facts">
        <dt>{t('holder')}</dt>
        <dd data-testid="state-holder-name">
          {who} · {word('mode', holder.mode)} · <code>{holder.loanId}</code>
          {holder.overdue ? <span className="badge missing">{t('overdue')}</span> : null}
        </dd>
        <dt>{t('purpose')}</dt>
        <dd>{holder.purpose}</dd>
        <dt>{t('since')}</dt>
        <dd>{moment(holder.since)}</dd>
        <dt>{t('due')}</dt>
        <dd>{moment(holder.due)}</dd>
        <dt>{t('handedOverBy')}</dt>
        <dd>{holder.handedOverBy ? `${holder.handedOverBy.id} (${holder.handedOverBy.unit})` : '—'}</dd>
      </dl>
      <p className="muted small">{t('policyVersion', { version: holder.policyVersion })}</p>
      <Approvals approvals={holder.approvals} />
      {holder.renewals.map((renewal) => (
        <div key={renewal.renewal}>
          <p>
            {t('renewal', {
              renewal: renewal.renewal,
              from: moment(renewal.previousDueAt),
              to: moment(renewal.dueAt),
            })}
          </p>
          <Approvals approvals={renewal.approvals} />
        </div>
      ))}
    </div>
  );
}

function StateView({ state }: { state: RecordState }) {
  const t = useT(recordMessages);
  const { lang } = useLang();
  const word = useWords();
  const moment = useMoment();
  const last = state.lastApplied;
  return (
    <div data-testid="state-result" data-custody={state.custody.status}>
      <p className="as-of" data-testid="state-meaning">
        <strong>{t('asOfMeaning')}:</strong> {state.asOf.meaning[lang]}
      </p>
      <p data-testid="state-custody">
        <span className={`badge ${state.custody.status}`}>{word('status', state.custody.status)}</span>
        {state.custody.missing ? <span className="badge missing">{word('status', 'missing')}</span> : null}
        {state.custody.summary[lang]}
      </p>
      {state.custody.holders.map((holder) => (
        <HolderCard key={holder.loanId} holder={holder} />
      ))}
      <dl className="facts">
        <dt>{t('classificationThen')}</dt>
        <dd>{word('classification', state.classification)}</dd>
        <dt>{t('lastApplied')}</dt>
        <dd data-testid="state-last-applied">
          {t('revision', { revision: last.revision })} · {last.summary[lang]} · {t('recordedAt')}{' '}
          {moment(last.recordedAt)}
        </dd>
      </dl>
      <p className="muted small">
        {t('eventsApplied', { applied: state.eventsApplied, total: state.eventsInStream })}
      </p>
      {state.recordedAfterAt.length > 0 ? (
        <p className="warning">{t('backdated', { revisions: state.recordedAfterAt.join(', ') })}</p>
      ) : null}
    </div>
  );
}

/**
 * 某一时刻的档案状态: a date picker and a slider over the timeline's events; the state is replayed by
 * the service from the record's own stream (GET /records/{code}/state).
 */
export function StateAt({
  code,
  purpose,
  entries,
  asOf,
  onChange,
}: {
  code: string;
  purpose: string | undefined;
  entries: readonly HistoryEntry[];
  asOf: AsOf | undefined;
  onChange: (asOf: AsOf, replace?: boolean) => void;
}) {
  const t = useT(recordMessages);
  const { lang } = useLang();
  const [moment, setMoment] = useState(() =>
    toLocalInput(asOf?.kind === 'time' ? new Date(asOf.at) : new Date()),
  );
  const [by, setBy] = useState<'recorded' | 'occurred'>(asOf?.kind === 'time' ? asOf.by : 'recorded');
  const key =
    asOf === undefined ? '' : asOf.kind === 'time' ? `t:${asOf.at}:${asOf.by}` : `r:${asOf.revision}`;
  useEffect(() => {
    if (asOf?.kind === 'time') {
      setMoment(toLocalInput(new Date(asOf.at)));
      setBy(asOf.by);
    }
    // Follow the address (`key`), not the object, which is new on every render.
  }, [key]);

  const state = useApi(async () => {
    if (asOf === undefined) return undefined;
    const query = asOf.kind === 'time' ? { at: asOf.at, by: asOf.by } : { revision: asOf.revision };
    return apiGet<RecordState>(`/records/${encodeURIComponent(code)}/state`, { ...query, purpose });
    // `key` stands for `asOf`.
  }, [code, purpose, key]);

  const show = (event: FormEvent) => {
    event.preventDefault();
    const at = fromLocalInput(moment);
    if (at !== undefined) onChange({ kind: 'time', at, by });
  };
  const first = entries.length > 0 ? entries[0].revision : 0;
  const lastRevision = entries.length > 0 ? entries[entries.length - 1].revision : 0;
  const sliderRevision =
    asOf?.kind === 'revision' ? asOf.revision : (state.data?.lastApplied.revision ?? lastRevision);
  const sliderEntry = entries.find((entry) => entry.revision === sliderRevision);

  return (
    <section className="card state-at" data-testid="state-at">
      <h2>{t('stateTitle')}</h2>
      <p className="muted">{t('stateHint')}</p>
      <form className="toolbar" onSubmit={show}>
        <label>
          {t('atLabel')}
          <input
            type="datetime-local"
            step={1}
            data-testid="state-at-input"
            value={moment}
            onChange={(event) => setMoment(event.target.value)}
          />
        </label>
        <label>
          {t('byLabel')}
          <select
            data-testid="state-by"
            value={by}
            onChange={(event) => setBy(event.target.value as 'recorded' | 'occurred')}
          >
            <option value="recorded">{t('byRecorded')}</option>
            <option value="occurred">{t('byOccurred')}</option>
          </select>
        </label>
        <button type="submit" className="primary" data-testid="state-at-show">
          {t('show')}
        </button>
        <button
          type="button"
          onClick={() => {
            const now = toLocalInput(new Date());
            setMoment(now);
            const at = fromLocalInput(now);
            if (at !== undefined) onChange({ kind: 'time', at, by });
          }}
        >
          {t('now')}
        </button>
      </form>
      {entries.length > 1 ? (
        <label className="slider">
          {t('sliderLabel')}
          <input
            type="range"
            data-testid="state-slider"
            min={first}
            max={lastRevision}
            step={1}
            value={sliderRevision}
            onChange={(event) => onChange({ kind: 'revision', revision: Number(event.target.value) }, true)}
          />
          <span className="slider-value">
            {sliderEntry
              ? t('sliderValue', { revision: sliderEntry.revision, summary: sliderEntry.summary[lang] })
              : ''}
          </span>
        </label>
      ) : null}
      <ErrorBox error={state.error} />
      {state.loading && state.data === undefined && asOf !== undefined ? <Loading /> : null}
      {state.data && !state.error ? <StateView state={state.data} /> : null}
    </section>
  );
}
