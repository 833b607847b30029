import { useCallback, useEffect, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { apiGet, downloadFile, type CommandAnswer } from '../api/client';
import { hasRole } from '../api/session';
import { useApi } from '../api/use-api';
import { useFormat } from '../i18n/i18n';
import { ErrorBox, Loading } from '../shell/error-box';
import { useSession } from '../shell/session-context';
import { StatusBadge, useLabels } from './common';
import {
  AddItemForm,
  CancelForm,
  ExecuteForm,
  RemoveItemButton,
  SignForm,
  WitnessCheckForm,
  WitnessSignForm,
} from './list-actions';
import { CLASSIFIED, outstanding, requiredWitnesses, unitOfRequirement, type DestructionList } from './types';

/** How often, and how many times, the page looks again while the list is being executed (D6). */
const EXECUTION_POLL_MS = 500;
const EXECUTION_POLLS = 60;

/**
 * 销毁清册 — one destruction list (`GET /destruction-lists/{listId}`): its items with the D2
 * columns, the signatures in their capacities (D3), the witnesses (D5), and the actions the
 * signed-in person's roles allow. The service decides every action and the page shows its answer.
 */
export function ListPage() {
  const { listId = '' } = useParams();
  const [params] = useSearchParams();
  const { t, lang, capacity, done } = useLabels();
  const format = useFormat();
  const { session } = useSession();
  const [after, setAfter] = useState<string | undefined>(params.get('after') ?? undefined);
  const [round, setRound] = useState(0);
  const [message, setMessage] = useState<string | undefined>();
  const [error, setError] = useState<unknown>();
  const [purpose, setPurpose] = useState('');
  const loaded = useApi(
    () => apiGet<DestructionList>(`/destruction-lists/${encodeURIComponent(listId)}`, { after }),
    [listId, after, round],
  );
  const list = loaded.data;

  /** After a command: read the list again at (or past) the position the command reached. */
  const onCommand = useCallback(
    (answer: CommandAnswer) => {
      setMessage(done(answer.events));
      setAfter(answer.position);
      setRound((n) => n + 1);
    },
    [done],
  );

  // Execution is asynchronous (D6): while the list is executing, look again shortly.
  const [polls, setPolls] = useState(0);
  const executing = list?.status === 'executing';
  useEffect(() => {
    if (!executing || loaded.loading || polls >= EXECUTION_POLLS) return;
    const timer = setTimeout(() => {
      setPolls((n) => n + 1);
      setRound((n) => n + 1);
    }, EXECUTION_POLL_MS);
    return () => clearTimeout(timer);
  }, [executing, loaded.loading, polls]);

  const download = async (path: string, fileName: string) => {
    setError(undefined);
    try {
      await downloadFile(path, fileName);
    } catch (e) {
      setError(e);
    }
  };

  if (!list) {
    return (
      // Not `destruction-list` until the list is there: a test (or a person) waits for the list itself.
      <div data-testid="destruction-list-loading">
        <ErrorBox error={loaded.error} />
        {loaded.loading ? <Loading /> : null}
      </div>
    );
  }

  const user = session?.user ?? '';
  const isArchivist = hasRole(session, 'archivist');
  const isWitness = hasRole(session, 'witness', 'security_officer');
  const readsCertificates = hasRole(session, 'auditor', 'compliance_officer');
  const missing = outstanding(list);
  const open = ['draft', 'signing', 'approved'].includes(list.status);
  const signedAlready = list.signatures.some((s) => s.signer.id === user);
  const mine = missing.filter((r) => {
    const unit = unitOfRequirement(list, r);
    return hasRole(session, r.role) && (unit === undefined || unit === session?.unit);
  });
  const myCheck = list.witnessChecks.find((c) => c.witness.id === user);
  const mySignatureAfter = list.witnessSignatures.some((s) => s.witness.id === user);
  const anyClassifiedDestroyed = list.items.some((i) => i.destroyedOn && CLASSIFIED.has(i.classification));
  const base = `/destruction-lists/${encodeURIComponent(list.listId)}`;

  return (
    <div data-testid="destruction-list" data-list-id={list.listId}>
      <div className="list-head">
        <h2>
          {t('listHeading', { listId: list.listId })} <StatusBadge status={list.status} />
        </h2>
        <p className="list-title">{list.title}</p>
        <div className="toolbar no-print">
          <button type="button" onClick={() => window.print()}>
            {t('print')}
          </button>
          <button
            type="button"
            onClick={() => void download(`${base}/print`, `${list.listId}.html`)}
            title={t('printHtmlHint')}
            data-testid="download-print"
          >
            {t('printHtml')}
          </button>
          <button
            type="button"
            onClick={() => void download(`${base}?format=csv`, `${list.listId}.csv`)}
            data-testid="download-csv"
          >
            {t('csv')}
          </button>
          <button type="button" onClick={() => setRound((n) => n + 1)} data-testid="reload-list">
            {t('reload')}
          </button>
        </div>
      </div>
      {message ? (
        <p className="ok-box no-print" role="status" data-testid="list-message">
          {message}
        </p>
      ) : null}
      <ErrorBox error={error} />
      <ErrorBox error={loaded.error} />
      {executing ? (
        <p className="warning" data-testid="executing">
          {t('executing')}
        </p>
      ) : null}

      <dl className="facts card">
        <dt>{t('colBusinessUnit')}</dt>
        <dd>{list.businessUnit}</dd>
        <dt>{t('draftedBy')}</dt>
        <dd>
          {list.draftedBy.id}（{list.draftedBy.unit}） · {format.dateTime(list.draftedAt)}
        </dd>
        <dt>{t('policyVersion')}</dt>
        <dd>{list.policyVersion}</dd>
        <dt>{t('itemCount')}</dt>
        <dd data-testid="item-count">{format.number(list.itemCount)}</dd>
        {list.approvedAt ? (
          <>
            <dt>{t('approvedAt')}</dt>
            <dd>{format.dateTime(list.approvedAt)}</dd>
          </>
        ) : null}
        {list.executedBy ? (
          <>
            <dt>{t('executedBy')}</dt>
            <dd>
              {list.executedBy.id}（{list.executedBy.unit}）
            </dd>
          </>
        ) : null}
        {list.destroyedOn ? (
          <>
            <dt>{t('destroyedOn')}</dt>
            <dd data-testid="destroyed-on">{format.date(list.destroyedOn)}</dd>
          </>
        ) : null}
        {list.executedAt ? (
          <>
            <dt>{t('executedAt')}</dt>
            <dd>{format.dateTime(list.executedAt)}</dd>
          </>
        ) : null}
        {list.completedAt ? (
          <>
            <dt>{t('completedAt')}</dt>
            <dd>{format.dateTime(list.completedAt)}</dd>
          </>
        ) : null}
      </dl>
      {list.cancellation ? (
        <p className="error-box">
          {t('cancelled', { reason: list.cancellation.reason, who: list.cancellation.cancelledBy.id })}
        </p>
      ) : null}
      {list.refusal ? (
        <p className="error-box" data-testid="refusal">
          {t('refused', {
            who: list.refusal.signer.id,
            capacity: list.refusal.capacity,
            opinion: list.refusal.opinion,
          })}
        </p>
      ) : null}

      <ItemsTable
        list={list}
        canRemove={isArchivist && list.status === 'draft'}
        readsCertificates={readsCertificates}
        onCommand={onCommand}
        onCertificate={(code) =>
          void download(
            `/records/${encodeURIComponent(code)}/destruction-certificate${purpose.trim() ? `?purpose=${encodeURIComponent(purpose.trim())}` : ''}`,
            `${code}-destruction-certificate.json`,
          )
        }
      />
      {readsCertificates && list.items.some((i) => i.destroyedOn) ? (
        <div className="toolbar no-print">
          {anyClassifiedDestroyed ? (
            <label className="wide">
              {t('certificatePurpose')}
              <input
                value={purpose}
                onChange={(e) => setPurpose(e.target.value)}
                data-testid="certificate-purpose"
              />
            </label>
          ) : null}
          <span className="muted">{t('certificateHint')}</span>
        </div>
      ) : null}
      {isArchivist && list.status === 'draft' ? (
        <div className="no-print">
          <AddItemForm listId={list.listId} onCommand={onCommand} />
          <Link to={`/disposition/due?list=${list.listId}`} data-testid="pick-from-due">
            {t('pickFromDue')}
          </Link>
        </div>
      ) : null}
      {list.removedItems.length > 0 ? (
        <>
          <h3>{t('removed')}</h3>
          <ul>
            {list.removedItems.map((r) => (
              <li key={`${r.archiveCode}-${r.removedAt}`}>
                {t('removedLine', {
                  code: r.archiveCode,
                  reason: r.reason,
                  who: r.removedBy.id,
                  when: format.dateTime(r.removedAt),
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      <h3>{t('signatures')}</h3>
      <SignaturesTable list={list} />
      <p data-testid="still-needed">
        {missing.length === 0
          ? t('allSigned')
          : t('stillNeededList', {
              list: missing.map((r) => capacity(r, r.capacity)).join(lang === 'zh' ? '、' : ', '),
            })}
      </p>
      {(list.status === 'draft' || list.status === 'signing') && !signedAlready && mine.length > 0 ? (
        <SignForm listId={list.listId} capacities={mine} onCommand={onCommand} />
      ) : null}

      <h3>{t('witnesses')}</h3>
      <WitnessesTable list={list} />
      {isWitness && list.status === 'approved' ? (
        <WitnessCheckForm listId={list.listId} onCommand={onCommand} />
      ) : null}
      {isWitness && list.status === 'executed' && myCheck && !mySignatureAfter ? (
        <WitnessSignForm listId={list.listId} onCommand={onCommand} />
      ) : null}

      {isArchivist && (list.status === 'signing' || list.status === 'approved') ? (
        <ExecuteForm listId={list.listId} onCommand={onCommand} />
      ) : null}
      {hasRole(session, 'archivist', 'archive_department_head') && open ? (
        <CancelForm listId={list.listId} onCommand={onCommand} />
      ) : null}
    </div>
  );
}

/** The D2 columns, and 销毁日期 once destroyed. */
function ItemsTable({
  list,
  canRemove,
  readsCertificates,
  onCommand,
  onCertificate,
}: {
  list: DestructionList;
  canRemove: boolean;
  readsCertificates: boolean;
  onCommand: (answer: CommandAnswer) => void;
  onCertificate: (code: string) => void;
}) {
  const { t, retention, classification } = useLabels();
  const format = useFormat();
  const showActions = canRemove || (readsCertificates && list.items.some((i) => i.destroyedOn));
  return (
    <>
      <h3>{t('items')}</h3>
      <table data-testid="items-table" className="items">
        <thead>
          <tr>
            <th className="num">{t('colSeq')}</th>
            <th>{t('colCode')}</th>
            <th>{t('colDocNumber')}</th>
            <th>{t('colResponsible')}</th>
            <th>{t('colTitle')}</th>
            <th>{t('colDateFormed')}</th>
            <th>{t('colRetention')}</th>
            <th className="num">{t('colYearsKept')}</th>
            <th>{t('colClassification')}</th>
            <th>{t('colAppraisal')}</th>
            <th>{t('colDestroyedOn')}</th>
            <th>{t('colRemark')}</th>
            {showActions ? <th className="no-print">{t('colActions')}</th> : null}
          </tr>
        </thead>
        <tbody>
          {list.items.length === 0 ? (
            <tr>
              <td colSpan={showActions ? 13 : 12} className="muted">
                {t('noItems')}
              </td>
            </tr>
          ) : null}
          {list.items.map((item, index) => (
            <tr key={item.archiveCode} data-testid="item-row" data-code={item.archiveCode}>
              <td className="num">{index + 1}</td>
              <td>
                <Link to={`/records/${encodeURIComponent(item.archiveCode)}`}>
                  <code>{item.archiveCode}</code>
                </Link>
              </td>
              <td>{item.documentNumber ?? '—'}</td>
              <td>{item.responsibleParty}</td>
              <td>{item.title}</td>
              <td>{format.date(item.dateFormed)}</td>
              <td>{retention(item.retentionClass)}</td>
              <td className="num">{item.yearsKept}</td>
              <td>{classification(item.classification)}</td>
              <td>{item.appraisalId}</td>
              <td data-testid="item-destroyed-on">{format.date(item.destroyedOn)}</td>
              <td>
                {item.withheld ? t('withheld', { rule: item.withheld.rule, code: item.withheld.code }) : ''}
              </td>
              {showActions ? (
                <td className="no-print actions">
                  {canRemove ? (
                    <RemoveItemButton
                      listId={list.listId}
                      archiveCode={item.archiveCode}
                      onCommand={onCommand}
                    />
                  ) : null}
                  {readsCertificates && item.destroyedOn ? (
                    <button
                      type="button"
                      onClick={() => onCertificate(item.archiveCode)}
                      data-testid="download-certificate"
                    >
                      {t('certificate')}
                    </button>
                  ) : null}
                </td>
              ) : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** One line per capacity of the list's policy (D3): who signed, their opinion, or still to sign. */
function SignaturesTable({ list }: { list: DestructionList }) {
  const { t, capacity, role } = useLabels();
  const format = useFormat();
  return (
    <table data-testid="signatures-table" className="signatures">
      <thead>
        <tr>
          <th>{t('colCapacity')}</th>
          <th>{t('colRole')}</th>
          <th>{t('colSigner')}</th>
          <th>{t('colOpinion')}</th>
          <th>{t('colSignedAt')}</th>
        </tr>
      </thead>
      <tbody>
        {list.requirements.map((r) => {
          const signed = list.signatures.find((s) => s.capacity === r.capacity);
          const refused = list.refusal?.capacity === r.capacity ? list.refusal : undefined;
          const given = signed ?? refused;
          const unit = unitOfRequirement(list, r);
          return (
            <tr
              key={r.capacity}
              data-testid="signature-row"
              data-capacity={r.capacity}
              data-signed={signed ? 'yes' : 'no'}
            >
              <th scope="row">{capacity(r, r.capacity)}</th>
              <td>
                {role(r.role)}
                {unit ? ` · ${unit}` : ''}
              </td>
              <td>
                {given ? (
                  `${given.signer.id}（${given.signer.unit}）`
                ) : (
                  <span className="warning">{t('stillNeeded')}</span>
                )}
              </td>
              <td>
                {refused ? `${t('decisionRefuse')}: ` : ''}
                {given?.opinion ?? ''}
              </td>
              <td>{given ? format.dateTime(given.signedAt) : ''}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The witnesses the list needs (D5): each one's check before, and signature after, the destruction. */
function WitnessesTable({ list }: { list: DestructionList }) {
  const { t, witness } = useLabels();
  const format = useFormat();
  const capacities = [
    ...requiredWitnesses(list),
    ...list.witnessChecks.map((c) => c.capacity).filter((c) => !requiredWitnesses(list).includes(c)),
  ];
  return (
    <table data-testid="witnesses-table" className="witnesses">
      <thead>
        <tr>
          <th>{t('colCapacity')}</th>
          <th>{t('colWitness')}</th>
          <th>{t('colCheck')}</th>
          <th>{t('colWitnessSigned')}</th>
        </tr>
      </thead>
      <tbody>
        {capacities.map((capacity) => {
          const check = list.witnessChecks.find((c) => c.capacity === capacity);
          const after = check
            ? list.witnessSignatures.find((s) => s.witness.id === check.witness.id)
            : undefined;
          return (
            <tr
              key={capacity}
              data-testid="witness-row"
              data-capacity={capacity}
              data-matched={check ? String(check.matched) : ''}
            >
              <th scope="row">{witness(capacity)}</th>
              <td>{check ? `${check.witness.id}（${check.witness.unit}）` : '—'}</td>
              <td className={check && !check.matched ? 'warning' : ''}>
                {check
                  ? `${
                      check.matched
                        ? t('checkMatched', { n: check.itemCount })
                        : t('checkMismatch', { n: check.itemCount, list: check.discrepancies.join('; ') })
                    } · ${format.dateTime(check.checkedAt)}${check.notes ? ` · ${check.notes}` : ''}`
                  : t('notChecked')}
              </td>
              <td>
                {after
                  ? `${format.dateTime(after.signedAt)}${after.remark ? ` · ${after.remark}` : ''}`
                  : t('notSigned')}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
