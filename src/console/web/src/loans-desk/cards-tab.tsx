import { useState, type FormEvent } from 'react';
import { useFormat, useT } from '../i18n/i18n';
import { ModeLabel, PagedList, RecordLink, usePaged } from './loan-bits';
import { borrowerName, type SubstituteCard } from './loans-api';
import { useDesk } from './desk-context';
import { loansMessages } from './messages';

/** 代替卡 — what stands at each shelf location while its record is out, by location (B11). */
export function CardsTab() {
  const t = useT(loansMessages);
  const f = useFormat();
  const { after } = useDesk();
  const [typed, setTyped] = useState('');
  const [location, setLocation] = useState('');
  const list = usePaged<SubstituteCard>('/substitute-cards', { location }, after);
  function submit(event: FormEvent) {
    event.preventDefault();
    setLocation(typed.trim());
  }
  return (
    <div data-testid="cards-tab">
      <p className="loans-intro">{t('cardsIntro')}</p>
      <form className="toolbar" onSubmit={submit}>
        <label>
          {t('location')}
          <input
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            placeholder="B-01"
            data-testid="cards-location"
          />
        </label>
        <button type="submit">{t('find')}</button>
      </form>
      <PagedList list={list} testId="cards-list">
        {(cards) => (
          <table className="loans-table">
            <thead>
              <tr>
                <th>{t('shelf')}</th>
                <th>
                  {t('archiveCode')} / {t('recordTitle')}
                </th>
                <th>{t('heldBy')}</th>
                <th>{t('mode')}</th>
                <th>{t('since')}</th>
                <th>{t('until')}</th>
                <th>{t('handedOverBy')}</th>
              </tr>
            </thead>
            <tbody>
              {cards.map((card) => (
                <tr key={card.loanId} data-testid="card-row" data-loan-id={card.loanId}>
                  <td>
                    <strong>{card.shelfLocation}</strong>
                  </td>
                  <td>
                    <RecordLink code={card.archiveCode} />
                    <div>{card.title}</div>
                  </td>
                  <td>{borrowerName(card.heldBy)}</td>
                  <td>
                    <ModeLabel mode={card.mode} />
                  </td>
                  <td>{f.dateTime(card.since)}</td>
                  <td>{f.dateTime(card.until)}</td>
                  <td>{card.handedOverBy.id}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </PagedList>
    </div>
  );
}
