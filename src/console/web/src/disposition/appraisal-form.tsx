import { useState, type FormEvent } from 'react';
import { apiPost, type CommandAnswer } from '../api/client';
import { ErrorBox } from '../shell/error-box';
import { useLabels } from './common';
import type { DueRecord } from './types';

/** Retention classes from shortest to longest: a `keep` may only lengthen it (R2). */
const RETENTION_ORDER = ['D10', 'D30', 'PERMANENT'];

interface Member {
  id: string;
  unit: string;
}

/** A member's fields, each with the text of its label. */
const MEMBER_FIELDS = [
  ['id', 'memberId'],
  ['unit', 'memberUnit'],
] as const;

/**
 * 鉴定 — `POST /records/{code}/appraisals` (R4, R5): the signed-in member records the committee's
 * decision; the other members are named (at least one, R5), as the service has no user directory.
 */
export function AppraisalForm({
  record,
  onDone,
  onCancel,
}: {
  record: DueRecord;
  onDone: (answer: CommandAnswer, decision: string) => void;
  onCancel: () => void;
}) {
  const { t, retention } = useLabels();
  const longer = RETENTION_ORDER.slice(RETENTION_ORDER.indexOf(record.retentionClass) + 1);
  const [decision, setDecision] = useState<'release' | 'keep'>('release');
  const [newRetentionClass, setNewRetentionClass] = useState(longer[0] ?? '');
  const [grounds, setGrounds] = useState('');
  const [members, setMembers] = useState<Member[]>([{ id: '', unit: '' }]);
  const [error, setError] = useState<unknown>();
  const [busy, setBusy] = useState(false);

  const setMember = (index: number, field: keyof Member, value: string) =>
    setMembers((list) => list.map((m, i) => (i === index ? { ...m, [field]: value } : m)));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await apiPost(`/records/${encodeURIComponent(record.archiveCode)}/appraisals`, {
        decision,
        grounds,
        members: members
          .filter((m) => m.id.trim() !== '' || m.unit.trim() !== '')
          .map((m) => ({ id: m.id.trim(), unit: m.unit.trim() })),
        ...(decision === 'keep' ? { newRetentionClass } : {}),
      });
      onDone(answer, decision);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <form className="card appraisal-form no-print" onSubmit={submit} data-testid="appraisal-form">
      <h3>{t('appraisalTitle', { code: record.archiveCode })}</h3>
      <p>
        {record.title} · {retention(record.retentionClass)}
      </p>
      <fieldset className="choices">
        <legend>{t('decision')}</legend>
        <label className="inline">
          <input
            type="radio"
            name="decision"
            value="release"
            checked={decision === 'release'}
            onChange={() => setDecision('release')}
            data-testid="decision-release"
          />
          {t('release')}
        </label>
        <label className="inline">
          <input
            type="radio"
            name="decision"
            value="keep"
            checked={decision === 'keep'}
            onChange={() => setDecision('keep')}
            disabled={longer.length === 0}
            data-testid="decision-keep"
          />
          {t('keep')}
        </label>
      </fieldset>
      {decision === 'keep' ? (
        <label>
          {t('newRetention')}
          <select
            value={newRetentionClass}
            onChange={(e) => setNewRetentionClass(e.target.value)}
            data-testid="new-retention"
          >
            {longer.map((code) => (
              <option key={code} value={code}>
                {retention(code)}
              </option>
            ))}
          </select>
        </label>
      ) : null}
      <label>
        {t('grounds')}
        <textarea
          value={grounds}
          onChange={(e) => setGrounds(e.target.value)}
          placeholder={t('groundsPlaceholder')}
          rows={3}
          data-testid="grounds"
        />
      </label>
      <fieldset>
        <legend>{t('members')}</legend>
        {members.map((member, index) => (
          <div className="toolbar" key={index}>
            {MEMBER_FIELDS.map(([field, label]) => (
              <label key={field}>
                {t(label)}
                <input
                  value={member[field]}
                  onChange={(e) => setMember(index, field, e.target.value)}
                  data-testid={`member-${field}-${index}`}
                />
              </label>
            ))}
            {members.length > 1 ? (
              <button type="button" onClick={() => setMembers((list) => list.filter((_, i) => i !== index))}>
                {t('removeMember')}
              </button>
            ) : null}
          </div>
        ))}
        <button type="button" onClick={() => setMembers((list) => [...list, { id: '', unit: '' }])}>
          {t('addMember')}
        </button>
      </fieldset>
      <ErrorBox error={error} />
      <div className="toolbar">
        <button type="submit" className="primary" disabled={busy} data-testid="submit-appraisal">
          {t('submitAppraisal')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}
