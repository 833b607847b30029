import { badgeClass, badgesOf, type CatalogueEntry } from './types';
import { useWords } from './use-words';

/** The record's situation as badges: in custody, on loan, held, due for appraisal, destroyed … */
export function StatusBadges({ entry }: { entry: CatalogueEntry }) {
  const word = useWords();
  return (
    <span className="badges" data-testid="status-badges">
      {badgesOf(entry).map((status) => (
        <span key={status} className={`badge ${badgeClass(status)}`} data-status={status}>
          {word('status', status)}
        </span>
      ))}
    </span>
  );
}
