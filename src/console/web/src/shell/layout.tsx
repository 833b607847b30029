import { NavLink, Navigate, Outlet, useLocation } from 'react-router';
import { hasRole } from '../api/session';
import { useT } from '../i18n/i18n';
import { LanguageSwitch } from './language-switch';
import { shellMessages } from './messages';
import { useSession } from './session-context';

/** Who sees which desk; the service checks the roles again on every request (docs/security.md). */
const DESKS = [
  { to: '/', key: 'catalogue', roles: [] },
  {
    to: '/loans',
    key: 'loansDesk',
    roles: [
      'archivist',
      'department_head',
      'archive_department_head',
      'deputy_gm',
      'general_manager',
      'security_officer',
      'borrower',
    ],
  },
  {
    to: '/disposition',
    key: 'disposition',
    roles: [
      'archivist',
      'archive_department_head',
      'appraisal_committee',
      'department_head',
      'deputy_gm',
      'destruction_signatory',
      'witness',
      'security_officer',
      'auditor',
      'compliance_officer',
    ],
  },
  { to: '/statistics', key: 'statistics', roles: [] },
  { to: '/verify', key: 'verifier', roles: [] },
] as const;

export function Layout() {
  const t = useT(shellMessages);
  const { session, signOut } = useSession();
  const location = useLocation();
  if (session === undefined && location.pathname !== '/verify') {
    return <Navigate to="/sign-in" replace state={{ from: location.pathname + location.search }} />;
  }
  return (
    <div className="app">
      <header className="top">
        <span className="product">{t('product')}</span>
        <nav>
          {DESKS.filter((desk) => desk.roles.length === 0 || hasRole(session, ...desk.roles)).map((desk) => (
            <NavLink key={desk.to} to={desk.to} end={desk.to === '/'}>
              {t(desk.key)}
            </NavLink>
          ))}
        </nav>
        <span className="spacer" />
        <LanguageSwitch />
        {session ? (
          <span className="who" data-testid="signed-in-as">
            {session.development ? (
              <span className="dev-badge" title={t('devModeHint')}>
                {t('devMode')}
              </span>
            ) : null}
            {session.user} · {session.roles.join(', ')} · {session.unit} · {t('clearance')}{' '}
            {session.clearance}
            <button type="button" onClick={signOut}>
              {t('signOut')}
            </button>
          </span>
        ) : null}
      </header>
      <main>
        <Outlet />
      </main>
    </div>
  );
}
