import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { RouterProvider, createBrowserRouter } from 'react-router';
import { CataloguePage } from './catalogue/catalogue-page';
import { DispositionPage } from './disposition/disposition-page';
import { LangProvider } from './i18n/i18n';
import { LoansDeskPage } from './loans-desk/loans-desk-page';
import { RecordPage } from './record/record-page';
import { Layout } from './shell/layout';
import { NotFoundPage } from './shell/not-found-page';
import { SessionProvider } from './shell/session-context';
import { SignInPage } from './sign-in/sign-in-page';
import { StatisticsPage } from './statistics/statistics-page';
import { VerifierPage } from './verifier/verifier-page';
import './styles.css';

const router = createBrowserRouter(
  [
    { path: '/sign-in', element: <SignInPage /> },
    {
      element: <Layout />,
      children: [
        { index: true, element: <CataloguePage /> },
        { path: 'records/:code', element: <RecordPage /> },
        { path: 'loans/*', element: <LoansDeskPage /> },
        { path: 'disposition/*', element: <DispositionPage /> },
        { path: 'statistics', element: <StatisticsPage /> },
        { path: 'verify', element: <VerifierPage /> },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  { basename: '/console' },
);

createRoot(document.getElementById('root') as HTMLElement).render(
  <StrictMode>
    <LangProvider>
      <SessionProvider>
        <RouterProvider router={router} />
      </SessionProvider>
    </LangProvider>
  </StrictMode>,
);
