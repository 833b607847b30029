import { ApiError } from '../api/client';
import { useT } from '../i18n/i18n';
import { shellMessages } from './messages';

/** Shows the service's answer to a refused request as it gave it: status, code, rule, fields, message. */
export function ErrorBox({ error }: { error: unknown }) {
  const t = useT(shellMessages);
  if (error === undefined || error === null) return null;
  if (error instanceof ApiError) {
    const { problem } = error;
    return (
      <div className="error-box" role="alert" data-testid="error">
        <strong>
          {t('errorTitle')}: {error.status} {problem.error}
        </strong>
        {problem.rule ? (
          <span className="rule">
            {' '}
            {t('errorRule')} {problem.rule}
          </span>
        ) : null}
        <p>{problem.message}</p>
        {problem.fields && problem.fields.length > 0 ? (
          <ul>
            {problem.fields.map((field) => (
              <li key={field.field}>
                {t('errorField')} <code>{field.field}</code>: {field.problems.join('; ')}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    );
  }
  return (
    <div className="error-box" role="alert" data-testid="error">
      <strong>{t('errorTitle')}</strong>
      <p>{error instanceof Error ? error.message : String(error)}</p>
    </div>
  );
}

export function Loading() {
  const t = useT(shellMessages);
  return <p className="loading">{t('loading')}</p>;
}
