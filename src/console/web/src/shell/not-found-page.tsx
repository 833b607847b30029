import { Link } from 'react-router';
import { useT } from '../i18n/i18n';
import { shellMessages } from './messages';

export function NotFoundPage() {
  const t = useT(shellMessages);
  return (
    <section>
      <h1>{t('notFound')}</h1>
      <Link to="/">{t('back')}</Link>
    </section>
  );
}
