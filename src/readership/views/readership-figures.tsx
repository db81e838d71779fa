import { AdminTable } from '../../layout/admin-table';
import type { Figure, TopArticle } from '../queries';
import { BarChart, type DailyCount } from './bar-chart';

export interface ReadershipProps {
  perDay: DailyCount[];
  yesterday: number;
  top7: TopArticle[];
  top30: TopArticle[];
  countries: Figure[];
  referrers: Figure[];
  crawlers: number;
}

const countryName = new Intl.DisplayNames(['en'], { type: 'region', fallback: 'code' });
function country(code: string): string {
  if (code === 'XX') return 'Unknown';
  if (code === 'T1') return 'Tor';
  try {
    return countryName.of(code) ?? code;
  } catch {
    return code;
  }
}

function FigureTable({
  caption,
  head,
  rows,
}: {
  caption: string;
  head: string;
  rows: { label: string; views: number }[];
}) {
  return (
    <AdminTable
      caption={caption}
      columns={[head, 'Views']}
      rows={rows}
      cells={(row) => [row.label, row.views]}
      empty="No views yet."
    />
  );
}

const articleRows = (top: TopArticle[]) => top.map((article) => ({ label: article.headline, views: article.views }));

/** The dashboard's readership: views per day, the most read articles, where readers are and came from. */
export function ReadershipFigures(props: ReadershipProps) {
  return (
    <section aria-labelledby="readership">
      <h2 id="readership">Readership</h2>
      <p>
        Yesterday: {props.yesterday} views. Counted on the server, without cookies or scripts, crawlers apart (
        {props.crawlers} crawler requests in 30 days); no address or browser is stored.
      </p>
      <BarChart id="views-chart" title="Article views per day" days={props.perDay} />
      <div class="admin-figures">
        <FigureTable caption="Most read, last 7 days" head="Article" rows={articleRows(props.top7)} />
        <FigureTable caption="Most read, last 30 days" head="Article" rows={articleRows(props.top30)} />
        <FigureTable
          caption="Countries, last 30 days"
          head="Country"
          rows={props.countries.map((row) => ({ ...row, label: country(row.label) }))}
        />
        <FigureTable
          caption="Referrers, last 30 days"
          head="Came from"
          rows={props.referrers.map((row) => ({ ...row, label: row.label || 'No referrer (direct, bookmark, app)' }))}
        />
      </div>
    </section>
  );
}

/** An article's own readers on its edit page. */
export function ArticleReadership({ total, perDay }: { total: number; perDay: DailyCount[] }) {
  const last30 = perDay.reduce((sum, day) => sum + day.total, 0);
  return (
    <section aria-labelledby="article-readership">
      <h2 id="article-readership">Readers</h2>
      <p>
        {total} views in all, {last30} in the last 30 days.
      </p>
      <BarChart id="article-views-chart" title="Views of this article per day" days={perDay} />
    </section>
  );
}
