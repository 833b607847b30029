import { useCallback, useEffect, useMemo, useState } from 'react';
import { NavLink, Navigate, Route, Routes, useLocation } from 'react-router';
import { hasRole } from '../api/session';
import { useT } from '../i18n/i18n';
import { useSignedIn } from '../shell/session-context';
import { ApprovalsTab } from './approvals-tab';
import { CardsTab } from './cards-tab';
import { CounterTab } from './counter-tab';
import { DeskContext } from './desk-context';
import { OkBox } from './loan-bits';
import { MyLoansTab } from './my-loans-tab';
import { OverdueTab } from './overdue-tab';
import { loansMessages } from './messages';

/**
 * Which tab is for whom. The service checks the roles again on every request (docs/security.md,
 * docs/loans.md); a tab only saves people from a list they would be refused.
 */
const TABS = [
  {
    path: 'approvals',
    key: 'tabApprovals',
    roles: ['archive_department_head', 'department_head', 'deputy_gm', 'general_manager'],
  },
  { path: 'counter', key: 'tabCounter', roles: ['archivist'] },
  { path: 'overdue', key: 'tabOverdue', roles: ['archivist', 'archive_department_head'] },
  { path: 'cards', key: 'tabCards', roles: ['archivist'] },
  { path: 'mine', key: 'tabMine', roles: ['borrower'] },
] as const;

/** 借阅台 — approvals, hand-over and return, overdue reminders, substitute cards, a borrower's own loans. */
export function LoansDeskPage() {
  const t = useT(loansMessages);
  const session = useSignedIn();
  const location = useLocation();
  const [after, setAfter] = useState<string | undefined>(undefined);
  // A command's outcome stays shown on its tab until the person goes elsewhere.
  const [message, setMessage] = useState<{ text: string; at: string } | undefined>(undefined);
  useEffect(
    () => setMessage((shown) => (shown?.at === location.pathname ? shown : undefined)),
    [location.pathname],
  );
  const done = useCallback(
    (position: string | null | undefined, text: string) => {
      if (position) setAfter(position);
      setMessage({ text, at: location.pathname });
    },
    [location.pathname],
  );
  const desk = useMemo(() => ({ after, done }), [after, done]);
  const tabs = TABS.filter((tab) => hasRole(session, ...tab.roles));
  // A borrower arriving from a record page (`/loans?request=<code>`) goes to their request form.
  const request = new URLSearchParams(location.search).get('request');
  const first = request !== null && tabs.some((tab) => tab.path === 'mine') ? 'mine' : tabs[0]?.path;

  return (
    <section className="loans-desk">
      <h1>{t('title')}</h1>
      {tabs.length === 0 ? (
        <p>{t('noTab')}</p>
      ) : (
        <nav className="loans-tabs" aria-label={t('title')}>
          {tabs.map((tab) => (
            <NavLink key={tab.path} to={`/loans/${tab.path}`} data-testid={`loans-tab-${tab.path}`}>
              {t(tab.key)}
            </NavLink>
          ))}
        </nav>
      )}
      <OkBox text={message?.at === location.pathname ? message.text : undefined} />
      <DeskContext.Provider value={desk}>
        <Routes>
          {first !== undefined ? (
            <Route
              index
              element={<Navigate to={{ pathname: `/loans/${first}`, search: location.search }} replace />}
            />
          ) : null}
          {tabs.some((tab) => tab.path === 'approvals') ? (
            <Route path="approvals" element={<ApprovalsTab />} />
          ) : null}
          {tabs.some((tab) => tab.path === 'counter') ? (
            <Route path="counter" element={<CounterTab />} />
          ) : null}
          {tabs.some((tab) => tab.path === 'overdue') ? (
            <Route path="overdue" element={<OverdueTab />} />
          ) : null}
          {tabs.some((tab) => tab.path === 'cards') ? <Route path="cards" element={<CardsTab />} /> : null}
          {tabs.some((tab) => tab.path === 'mine') ? <Route path="mine" element={<MyLoansTab />} /> : null}
          {first !== undefined ? (
            <Route path="*" element={<Navigate to={`/loans/${first}`} replace />} />
          ) : null}
        </Routes>
      </DeskContext.Provider>
    </section>
  );
}
