import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { apiGet, apiPost } from '../api/client';
import { verifiedSession } from '../api/session';
import { useApi } from '../api/use-api';
import { defineMessages, useLang, useT } from '../i18n/i18n';
import { LanguageSwitch } from '../shell/language-switch';
import { ErrorBox, Loading } from '../shell/error-box';
import { useSession } from '../shell/session-context';

interface DemoUser {
  readonly user: string;
  readonly roles: readonly string[];
  readonly unit: string;
  readonly clearance: string;
  readonly title: { readonly zh: string; readonly en: string };
}

interface SignInOptions {
  readonly authMode: string;
  readonly devSignIn: boolean;
  readonly demoUsers: readonly DemoUser[];
}

const messages = defineMessages({
  zh: {
    title: '登录档案台账',
    tokenLabel: '身份令牌（由贵单位身份认证系统签发）',
    tokenSubmit: '使用令牌登录',
    devTitle: '开发模式：以演示身份登录',
    devWarning:
      '此模式由本服务签发令牌，任何能访问本服务的人都可以冒用这些身份。存放真实档案时请关闭（DEV_SIGN_IN=off）。',
    signInAs: '登录',
    verifierLink: '不登录，直接核验导出的凭证',
  },
  en: {
    title: 'Sign in to the archive ledger',
    tokenLabel: "Token (issued by your organisation's identity provider)",
    tokenSubmit: 'Sign in with the token',
    devTitle: 'Development mode: sign in as a demo user',
    devWarning:
      'This service mints the token itself, so anyone who can reach it can act as these people. Turn it off (DEV_SIGN_IN=off) wherever real records are kept.',
    signInAs: 'Sign in',
    verifierLink: 'Verify an exported bundle without signing in',
  },
});

export function SignInPage() {
  const t = useT(messages);
  const { lang } = useLang();
  const { signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const from = (location.state as { from?: string } | null)?.from ?? '/';
  const options = useApi(() => apiGet<SignInOptions>('/auth/sign-in-options'), []);
  const [token, setToken] = useState('');
  const [error, setError] = useState<unknown>();

  const done = () => navigate(from, { replace: true });
  const withToken = async (event: FormEvent) => {
    event.preventDefault();
    try {
      signIn(await verifiedSession(token, false));
      done();
    } catch (problem) {
      setError(problem);
    }
  };
  const asDemoUser = async (user: string) => {
    try {
      const answer = await apiPost<{ token: string }>('/auth/dev-sign-in', { user });
      signIn(await verifiedSession(answer.token, true));
      done();
    } catch (problem) {
      setError(problem);
    }
  };

  return (
    <div className="sign-in">
      <div className="lang-row">
        <LanguageSwitch />
      </div>
      <h1>{t('title')}</h1>
      <ErrorBox error={error ?? options.error} />
      <form onSubmit={(event) => void withToken(event)} className="card">
        <label>
          {t('tokenLabel')}
          <textarea value={token} onChange={(e) => setToken(e.target.value)} rows={3} name="token" />
        </label>
        <button type="submit" disabled={token.trim() === ''}>
          {t('tokenSubmit')}
        </button>
      </form>
      {options.loading ? <Loading /> : null}
      {options.data?.devSignIn ? (
        <section className="card dev" data-testid="dev-sign-in">
          <h2>
            <span className="dev-badge">DEV</span> {t('devTitle')}
          </h2>
          <p className="warning">{t('devWarning')}</p>
          <ul className="demo-users">
            {options.data.demoUsers.map((user) => (
              <li key={user.user}>
                <button type="button" onClick={() => void asDemoUser(user.user)} data-user={user.user}>
                  {t('signInAs')}: {user.title[lang]}
                </button>
                <small>
                  {user.user} · {user.roles.join(', ')} · {user.unit} · {user.clearance}
                </small>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <p>
        <a href="/console/verify">{t('verifierLink')}</a>
      </p>
    </div>
  );
}
