import { useMemo, useState } from 'react';
import { apiGet, downloadFile } from '../api/client';
import { useApi } from '../api/use-api';
import { useFormat, useLang, useT, type Translate } from '../i18n/i18n';
import { ErrorBox, Loading } from '../shell/error-box';
import { BarChart, type BarSeries } from './bar-chart';
import { CATEGORY_NAMES, statisticsMessages } from './messages';

/** `GET /statistics/holdings` (src/queries/statistics/statistics.dto.ts). */
interface Holdings {
  readonly by: readonly string[];
  readonly rows: readonly {
    readonly category?: string;
    readonly retentionClass?: string;
    readonly count: number;
  }[];
  readonly total: number;
}

const ACTIVITY_COLUMNS = ['intake', 'loans', 'returns', 'destructions', 'transfers'] as const;
type ActivityColumn = (typeof ACTIVITY_COLUMNS)[number];

/** `GET /statistics/activity`. */
interface Activity {
  readonly year: number;
  readonly months: readonly ({ readonly month: string } & Record<ActivityColumn, number>)[];
  readonly totals: Record<ActivityColumn, number>;
}

const RED = '#8a1c1c';
const BLUE = '#1f4e99';
const YEARS_OFFERED = 10;

type Key = keyof typeof statisticsMessages.zh;

/** 年度统计: holdings by category and retention class, loans and destructions per month; each chart with its table. */
export function StatisticsPage() {
  const t = useT(statisticsMessages);
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [downloadError, setDownloadError] = useState<unknown>();
  const byCategory = useApi(() => apiGet<Holdings>('/statistics/holdings', { by: 'category' }), []);
  const byRetention = useApi(() => apiGet<Holdings>('/statistics/holdings', { by: 'retentionClass' }), []);
  const activity = useApi(() => apiGet<Activity>('/statistics/activity', { year }), [year]);

  const download = (path: string, fileName: string) => {
    setDownloadError(undefined);
    downloadFile(path, fileName).catch(setDownloadError);
  };

  return (
    <section className="statistics">
      <h1>{t('title')}</h1>
      <p className="muted">{t('intro')}</p>
      <ErrorBox error={downloadError} />

      <HoldingsSection
        title={t('holdingsByCategory')}
        dimension="category"
        loaded={byCategory}
        testId="holdings-by-category"
        t={t}
        onDownload={() => download('/statistics/holdings?by=category&format=csv', 'holdings-by-category.csv')}
      />
      <HoldingsSection
        title={t('holdingsByRetention')}
        dimension="retentionClass"
        loaded={byRetention}
        testId="holdings-by-retention"
        t={t}
        onDownload={() =>
          download('/statistics/holdings?by=retentionClass&format=csv', 'holdings-by-retentionClass.csv')
        }
      />

      <div className="card">
        <h2>{t('activity', { year })}</h2>
        <div className="toolbar">
          <label>
            {t('year')}
            <select
              value={year}
              onChange={(e) => setYear(Number(e.target.value))}
              data-testid="statistics-year"
            >
              {Array.from({ length: YEARS_OFFERED }, (_, i) => thisYear - i).map((y) => (
                <option key={y} value={y}>
                  {y}
                </option>
              ))}
            </select>
          </label>
          <button
            type="button"
            onClick={() => download(`/statistics/activity?year=${year}&format=csv`, `activity-${year}.csv`)}
            data-testid="activity-csv"
          >
            {t('downloadCsv')}
          </button>
        </div>
        <ErrorBox error={activity.error} />
        {activity.loading && !activity.data ? <Loading /> : null}
        {activity.data ? <ActivityView activity={activity.data} t={t} /> : null}
      </div>
    </section>
  );
}

function HoldingsSection({
  title,
  dimension,
  loaded,
  testId,
  t,
  onDownload,
}: {
  readonly title: string;
  readonly dimension: 'category' | 'retentionClass';
  readonly loaded: { data: Holdings | undefined; error: unknown; loading: boolean };
  readonly testId: string;
  readonly t: Translate<Key>;
  readonly onDownload: () => void;
}) {
  const { lang } = useLang();
  const format = useFormat();
  const rows = useMemo(() => loaded.data?.rows ?? [], [loaded.data]);
  const labels = useMemo(
    () =>
      rows.map((row) => {
        const code = String(row[dimension] ?? '—');
        if (dimension === 'retentionClass') return retentionName(code, t);
        const name = CATEGORY_NAMES[code]?.[lang];
        return name ? `${code} ${name}` : code;
      }),
    [rows, dimension, lang, t],
  );
  const series = useMemo<BarSeries[]>(
    () => [{ label: t('count'), values: rows.map((row) => row.count), color: RED }],
    [rows, t],
  );
  return (
    <div className="card" data-testid={testId}>
      <h2>{title}</h2>
      <div className="toolbar">
        <button type="button" onClick={onDownload} data-testid={`${testId}-csv`}>
          {t('downloadCsv')}
        </button>
      </div>
      <ErrorBox error={loaded.error} />
      {loaded.loading && !loaded.data ? <Loading /> : null}
      {loaded.data ? (
        <div className="chart-row">
          {rows.length > 0 ? (
            <BarChart
              labels={labels}
              series={series}
              label={t('chartOf', { what: title })}
              testId={`${testId}-chart`}
            />
          ) : (
            <p className="muted">{t('empty')}</p>
          )}
          <table data-testid={`${testId}-table`}>
            <caption className="visually-hidden">{title}</caption>
            <thead>
              <tr>
                <th scope="col">{dimension === 'category' ? t('category') : t('retentionClass')}</th>
                <th scope="col" className="num">
                  {t('count')}
                </th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={labels[i]}>
                  <th scope="row">{labels[i]}</th>
                  <td className="num">{format.number(row.count)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th scope="row">{t('total')}</th>
                <td className="num">{format.number(loaded.data.total)}</td>
              </tr>
            </tfoot>
          </table>
        </div>
      ) : null}
    </div>
  );
}

function retentionName(code: string, t: Translate<Key>): string {
  if (code === 'PERMANENT') return t('retention_PERMANENT');
  if (code === 'D30') return t('retention_D30');
  if (code === 'D10') return t('retention_D10');
  return code;
}

function ActivityView({ activity, t }: { readonly activity: Activity; readonly t: Translate<Key> }) {
  const format = useFormat();
  const labels = useMemo(() => activity.months.map((m) => m.month), [activity]);
  const series = useMemo<BarSeries[]>(
    () => [
      { label: t('loans'), values: activity.months.map((m) => m.loans), color: BLUE },
      { label: t('destructions'), values: activity.months.map((m) => m.destructions), color: RED },
    ],
    [activity, t],
  );
  return (
    <div className="chart-row">
      <BarChart
        labels={labels}
        series={series}
        label={t('chartOf', { what: t('activity', { year: activity.year }) })}
        testId="activity-chart"
      />
      <table data-testid="activity-table">
        <caption className="visually-hidden">{t('activity', { year: activity.year })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('month')}</th>
            {ACTIVITY_COLUMNS.map((column) => (
              <th scope="col" key={column} className="num">
                {t(column)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {activity.months.map((m) => (
            <tr key={m.month}>
              <th scope="row">{m.month}</th>
              {ACTIVITY_COLUMNS.map((column) => (
                <td key={column} className="num">
                  {format.number(m[column])}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t('total')}</th>
            {ACTIVITY_COLUMNS.map((column) => (
              <td key={column} className="num">
                {format.number(activity.totals[column])}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
}
