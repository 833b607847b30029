import { useEffect, useRef, useState, type DragEvent, type ReactNode } from 'react';
import {
  verifyBundleWeb,
  type BundleVerdict,
  type CertificateFacts,
  type RecordFacts,
} from '../../../../audit/bundle/web/verify-bundle.web';
import { useFormat, useT, type Translate } from '../i18n/i18n';
import { ErrorBox } from '../shell/error-box';
import { verifierMessages } from './messages';

type Key = keyof typeof verifierMessages.zh;

interface Loaded {
  readonly name: string;
  readonly text: string;
}

type Outcome =
  | { readonly state: 'idle' }
  | { readonly state: 'verifying' }
  /** `file`: the name of the file this verdict is about (shown as data-file on the verdict). */
  | { readonly state: 'done'; readonly verdict: BundleVerdict; readonly file: string }
  | { readonly state: 'notJson'; readonly why: string }
  | { readonly state: 'error'; readonly error: unknown };

/**
 * 凭证核验: an export bundle or destruction certificate verified in this page with Web Crypto
 * (src/audit/bundle/web/verify-bundle.web.ts, the browser twin of `archive-ledger verify`). The
 * file is read with the File API and never sent anywhere; the page makes no request to verify.
 * Works without signing in.
 */
export function VerifierPage() {
  const t = useT(verifierMessages);
  const [file, setFile] = useState<Loaded>();
  const [pinnedKey, setPinnedKey] = useState('');
  const [over, setOver] = useState(false);
  const [outcome, setOutcome] = useState<Outcome>({ state: 'idle' });
  const input = useRef<HTMLInputElement>(null);

  // Verify again whenever the file or the pinned key changes; a late answer never overwrites a newer one.
  useEffect(() => {
    if (file === undefined) return undefined;
    let current = true;
    let parsed: unknown;
    try {
      parsed = JSON.parse(file.text);
    } catch (error) {
      setOutcome({ state: 'notJson', why: (error as Error).message });
      return undefined;
    }
    setOutcome({ state: 'verifying' });
    const key = pinnedKey.trim();
    verifyBundleWeb(parsed, key === '' ? {} : { pinnedKey: key }).then(
      (verdict) => current && setOutcome({ state: 'done', verdict, file: file.name }),
      (error: unknown) => current && setOutcome({ state: 'error', error }),
    );
    return () => {
      current = false;
    };
  }, [file, pinnedKey]);

  const load = async (files: FileList | null) => {
    const chosen = files?.[0];
    if (!chosen) return;
    setFile({ name: chosen.name, text: await chosen.text() });
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setOver(false);
    void load(event.dataTransfer.files);
  };

  return (
    <section className="verifier">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <div className="card no-print">
        <label>
          {t('keyLabel')}
          <input
            type="text"
            value={pinnedKey}
            onChange={(e) => setPinnedKey(e.target.value)}
            placeholder="archive-ledger.local/log+…"
            spellCheck={false}
            autoComplete="off"
            data-testid="pinned-key"
          />
        </label>
        <small className="muted">{t('keyHint')}</small>
      </div>
      <div
        className={`drop-zone no-print${over ? ' over' : ''}`}
        data-testid="drop-zone"
        onDragOver={(e) => {
          e.preventDefault();
          setOver(true);
        }}
        onDragLeave={() => setOver(false)}
        onDrop={onDrop}
      >
        {t('drop')}{' '}
        <button type="button" onClick={() => input.current?.click()}>
          {t('choose')}
        </button>
        <input
          ref={input}
          type="file"
          accept="application/json,.json"
          className="visually-hidden"
          data-testid="bundle-file"
          onChange={(e) => {
            void load(e.target.files);
            e.target.value = '';
          }}
        />
      </div>
      {file ? (
        <p className="muted" data-testid="file-name">
          {t('file')}: <code>{file.name}</code>
        </p>
      ) : null}
      {outcome.state === 'verifying' ? <p className="loading">{t('verifying')}</p> : null}
      {outcome.state === 'notJson' ? (
        <div className="verdict bad" role="alert" data-testid="verdict" data-verified="false">
          <strong>{t('notVerified')}</strong>
          <p>{t('notJson', { why: outcome.why })}</p>
        </div>
      ) : null}
      {outcome.state === 'error' ? <ErrorBox error={outcome.error} /> : null}
      {outcome.state === 'done' ? <VerdictView verdict={outcome.verdict} file={outcome.file} t={t} /> : null}
    </section>
  );
}

function VerdictView({
  verdict,
  file,
  t,
}: {
  readonly verdict: BundleVerdict;
  readonly file: string;
  readonly t: Translate<Key>;
}) {
  return (
    <div data-testid="verdict-details" data-file={file}>
      {verdict.verified ? (
        <div className="verdict ok" role="status" data-testid="verdict" data-verified="true">
          <strong>✔ {t('verified')}</strong>
          <p>{t('offline')}</p>
        </div>
      ) : (
        <div className="verdict bad" role="alert" data-testid="verdict" data-verified="false">
          <strong>✘ {t('notVerified')}</strong>
          {verdict.problem ? (
            <dl className="facts" data-testid="problem">
              <dt>{t('problemAt')}</dt>
              <dd>
                <code data-testid="problem-at">{verdict.problem.at}</code>
              </dd>
              <dt>{t('problemField')}</dt>
              <dd>
                <code data-testid="problem-field">{verdict.problem.field}</code>
              </dd>
              <dt>{t('problemMessage')}</dt>
              <dd data-testid="problem-message">{verdict.problem.message}</dd>
            </dl>
          ) : null}
        </div>
      )}
      {verdict.key ? (
        <div className="card" data-testid="verdict-key">
          <dl className="facts">
            <dt>{t('key')}</dt>
            <dd>
              <code>
                {verdict.key.name}+{verdict.key.keyId}
              </code>
            </dd>
            <dt>{t('fingerprint')}</dt>
            <dd>
              <code className="hash">{verdict.key.fingerprint}</code>
            </dd>
            {verdict.checkpoint ? (
              <>
                <dt>{t('checkpoint')}</dt>
                <dd>
                  <code>{verdict.checkpoint.origin}</code>,{' '}
                  {t('treeSize', { n: verdict.checkpoint.treeSize })}
                </dd>
                <dt>{t('root')}</dt>
                <dd>
                  <code className="hash">{verdict.checkpoint.rootHash}</code>
                </dd>
              </>
            ) : null}
          </dl>
          {verdict.key.source === 'pinned' ? (
            <p className="ok-text">{t('keyPinned')}</p>
          ) : (
            <p className="warning" data-testid="key-warning">
              {t('keyFromBundle')}
            </p>
          )}
        </div>
      ) : null}
      {verdict.facts?.kind === 'record-export' ? <RecordFactsView facts={verdict.facts} t={t} /> : null}
      {verdict.facts?.kind === 'destruction-certificate' ? (
        <CertificateFactsView facts={verdict.facts} t={t} />
      ) : null}
    </div>
  );
}

function RecordFactsView({ facts, t }: { readonly facts: RecordFacts; readonly t: Translate<Key> }) {
  return (
    <div className="card" data-testid="record-facts">
      <h2>{t('recordTitle', { code: facts.archiveCode })}</h2>
      <p>{t('recordLead', { n: facts.events, last: facts.lastRevision, stream: facts.stream })}</p>
      <dl className="facts">
        <NameFacts facts={facts} t={t} />
      </dl>
      {facts.destroyed ? <p className="warning">{t('destroyedNote')}</p> : null}
      <FactTable heads={[{ num: 'revision' }, { num: 'position' }, 'recordedAt', 'type', 'actor']} t={t}>
        {facts.history.map((h) => (
          <tr key={h.revision}>
            <td className="num">{h.revision}</td>
            <td className="num">{h.position}</td>
            <TimeCell at={h.recordedAt} />
            <td>
              <code>{h.type}</code>
            </td>
            <td>
              {h.actor.id} ({h.actor.unit})
            </td>
          </tr>
        ))}
      </FactTable>
    </div>
  );
}

function capacity(t: Translate<Key>, name: string): string {
  const key = `cap_${name}` as Key;
  return key in verifierMessages.zh ? t(key) : name;
}

function CertificateFactsView({
  facts,
  t,
}: {
  readonly facts: CertificateFacts;
  readonly t: Translate<Key>;
}) {
  const format = useFormat();
  return (
    <div className="card" data-testid="certificate-facts">
      <h2>{t('certificateTitle', { code: facts.archiveCode, date: facts.destroyedOn })}</h2>
      <dl className="facts">
        <NameFacts facts={facts} t={t} />
        <dt>{t('list')}</dt>
        <dd data-testid="fact-list">
          <code>{facts.listId}</code> “{facts.listTitle}”
        </dd>
        <dt>{t('businessUnit')}</dt>
        <dd>{facts.businessUnit}</dd>
        <dt>{t('draftedBy')}</dt>
        <dd>
          {facts.draftedBy.id} ({facts.draftedBy.unit})
        </dd>
        <dt>{t('policyVersion')}</dt>
        <dd data-testid="fact-policy-version">{facts.policyVersion}</dd>
        <dt>{t('approvedAt')}</dt>
        <dd title={facts.approvedAt}>{format.dateTime(facts.approvedAt)}</dd>
        <dt>{t('destroyedBy')}</dt>
        <dd>
          {facts.destroyedBy.id} ({facts.destroyedBy.unit}),{' '}
          <span title={facts.destroyedRecordedAt}>{format.dateTime(facts.destroyedRecordedAt)}</span>
        </dd>
        {facts.electronicContent ? (
          <>
            <dt>{t('electronicContent')}</dt>
            <dd>
              <code>{facts.electronicContent}</code>
            </dd>
          </>
        ) : null}
        {facts.listExecutedAt ? (
          <>
            <dt>{t('listExecutedAt')}</dt>
            <dd title={facts.listExecutedAt}>{format.dateTime(facts.listExecutedAt)}</dd>
          </>
        ) : null}
        <dt>{t('listCompleted')}</dt>
        <dd>{facts.listCompleted ? t('yes') : t('notYet')}</dd>
      </dl>

      <h3>{t('approvals')}</h3>
      <FactTable
        testId="fact-approvals"
        heads={['capacity', 'signer', 'unit', 'role', 'opinion', 'signedAt']}
        t={t}
      >
        {facts.approvals.map((a) => (
          <tr key={`${a.capacity}-${a.signer.id}`}>
            <SignerCells capacity={a.capacity} person={a.signer} t={t} />
            <td>{a.role}</td>
            <td>{a.opinion}</td>
            <TimeCell at={a.signedAt} />
          </tr>
        ))}
      </FactTable>

      <h3>{t('witnessChecks')}</h3>
      <FactTable
        testId="fact-witnesses"
        heads={['capacity', 'witness', 'unit', { num: 'itemCount' }, 'matched', 'checkedAt']}
        t={t}
      >
        {facts.witnessChecks.map((w) => (
          <tr key={`${w.capacity}-${w.witness.id}`}>
            <SignerCells capacity={w.capacity} person={w.witness} t={t} />
            {w.checkedAt === null ? (
              <td colSpan={3} className="muted">
                {t('withheldCheck')}
              </td>
            ) : (
              <>
                <td className="num">{w.itemCount}</td>
                <td>{w.matched ? t('yes') : <strong className="bad-text">{t('mismatch')}</strong>}</td>
                <TimeCell at={w.checkedAt} />
              </>
            )}
          </tr>
        ))}
      </FactTable>

      <h3>{t('witnessSignatures')}</h3>
      {facts.witnessSignatures.length === 0 ? (
        <p className="muted">{t('none')}</p>
      ) : (
        <FactTable
          testId="fact-witness-signatures"
          heads={['capacity', 'witness', 'unit', 'remark', 'signedAt']}
          t={t}
        >
          {facts.witnessSignatures.map((w) => (
            <tr key={`${w.capacity}-${w.witness.id}-${w.signedAt}`}>
              <SignerCells capacity={w.capacity} person={w.witness} t={t} />
              <td>{w.remark ?? '—'}</td>
              <TimeCell at={w.signedAt} />
            </tr>
          ))}
        </FactTable>
      )}
      <p className="muted">{t('events', { record: facts.recordEvents, list: facts.listEvents })}</p>
      {facts.withheldListRevisions.length > 0 ? (
        <p className="warning">{t('withheld', { revisions: facts.withheldListRevisions.join(', ') })}</p>
      ) : null}
    </div>
  );
}

/** The record's title and classification, where the bundle names them. */
function NameFacts({
  facts,
  t,
}: {
  readonly facts: Pick<RecordFacts, 'title' | 'classification'>;
  readonly t: Translate<Key>;
}) {
  return (
    <>
      {facts.title ? (
        <>
          <dt>{t('titleLabel')}</dt>
          <dd>{facts.title}</dd>
        </>
      ) : null}
      {facts.classification ? (
        <>
          <dt>{t('classification')}</dt>
          <dd>{facts.classification}</dd>
        </>
      ) : null}
    </>
  );
}

/** A table of the bundle's facts, by the texts of its column heads (`num` for numbers). */
function FactTable({
  testId,
  heads,
  t,
  children,
}: {
  readonly testId?: string;
  readonly heads: readonly (Key | { readonly num: Key })[];
  readonly t: Translate<Key>;
  readonly children: ReactNode;
}) {
  return (
    <table data-testid={testId}>
      <thead>
        <tr>
          {heads.map((head) =>
            typeof head === 'string' ? (
              <th key={head}>{t(head)}</th>
            ) : (
              <th key={head.num} className="num">
                {t(head.num)}
              </th>
            ),
          )}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </table>
  );
}

/** Who signed or witnessed, and in which capacity. */
function SignerCells({
  capacity: name,
  person,
  t,
}: {
  readonly capacity: string;
  readonly person: { readonly id: string; readonly unit: string };
  readonly t: Translate<Key>;
}) {
  return (
    <>
      <td>{capacity(t, name)}</td>
      <td>{person.id}</td>
      <td>{person.unit}</td>
    </>
  );
}

/** A moment, shown in the reader's format, to the letter on hover. */
function TimeCell({ at }: { readonly at: string }) {
  const format = useFormat();
  return <td title={at}>{format.dateTime(at)}</td>;
}
