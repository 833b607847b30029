import { NavLink, Navigate, Route, Routes } from 'react-router';
import { hasRole } from '../api/session';
import { NotFoundPage } from '../shell/not-found-page';
import { useSession } from '../shell/session-context';
import { useLabels } from './common';
import { ListPage } from './list-page';
import { RegisterPage } from './register-page';
import { RetentionDuePage } from './retention-due-page';

/** Who may read `GET /retention-due` (src/queries/catalogue/retention-due.controller.ts). */
export const DUE_READERS = [
  'archivist',
  'appraisal_committee',
  'archive_department_head',
  'compliance_officer',
  'auditor',
];

/**
 * 鉴定与销毁 — the disposition desk: records due for appraisal (R4, R5) and the destruction
 * lists from drafting to the certificates (D1–D8). Sub-routes: `due`, `lists`, `lists/:listId`.
 */
export function DispositionPage() {
  const { t } = useLabels();
  const { session } = useSession();
  const readsDue = hasRole(session, ...DUE_READERS);
  return (
    <section className="disposition">
      <h1 className="no-print">{t('title')}</h1>
      <nav className="tabs no-print" aria-label={t('title')}>
        {readsDue ? (
          <NavLink to="/disposition/due" data-testid="tab-due">
            {t('tabDue')}
          </NavLink>
        ) : null}
        <NavLink to="/disposition/lists" data-testid="tab-register">
          {t('tabRegister')}
        </NavLink>
      </nav>
      <Routes>
        <Route index element={<Navigate to={readsDue ? 'due' : 'lists'} replace />} />
        <Route path="due" element={<RetentionDuePage />} />
        <Route path="lists" element={<RegisterPage />} />
        <Route path="lists/:listId" element={<ListPage />} />
        <Route path="*" element={<NotFoundPage />} />
      </Routes>
    </section>
  );
}
