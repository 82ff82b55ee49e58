// The correlation of metric and KPI as a reader needs it: r with its interval, the p-value
// and the one adjusted for autocorrelation, Spearman beside it, and the best lag; or, when
// there is none, why (fewer than 10 points, a constant series).
import type { Correlation, Impact } from "../../api/impact.ts";

const f = (v: number, d = 2) => v.toFixed(d);
const fp = (p: number) => (p < 0.001 ? "< 0.001" : p.toFixed(3));

function Row({ name, c }: { name: string; c: Correlation | null }) {
  if (!c) return null;
  return (
    <tr>
      <th scope="row">{name}</th>
      <td data-testid={`${name.toLowerCase()}-r`}>{f(c.r)}</td>
      <td>
        {f(c.ci95[0])} – {f(c.ci95[1])}
      </td>
      <td>{fp(c.p)}</td>
      <td>{fp(c.pAdjusted)}</td>
    </tr>
  );
}

export function CorrelationCard({ impact }: { impact: Impact }) {
  const lag = impact.bestLag;
  return (
    <section class="card" aria-labelledby="correlation-title" data-testid="correlation">
      <h2 id="correlation-title">Correlation</h2>
      <p class="muted">
        {impact.n} buckets with both a {impact.metric} and a {impact.kpi} value.
      </p>
      {impact.pearson ? (
        <table>
          <thead>
            <tr>
              <th scope="col" />
              <th scope="col">r</th>
              <th scope="col">95 % interval</th>
              <th scope="col">p</th>
              <th scope="col" title="p with the effective number of buckets after lag-one autocorrelation (Bretherton et al. 1999)">
                p (autocorr.)
              </th>
            </tr>
          </thead>
          <tbody>
            <Row name="Pearson" c={impact.pearson} />
            <Row name="Spearman" c={impact.spearman} />
          </tbody>
        </table>
      ) : (
        <p role="status" data-testid="correlation-reason">
          No correlation: {impact.reasons.correlation ?? "not enough data"}.
        </p>
      )}
      <p>
        {lag
          ? `Best lag: ${lag.lag > 0 ? `${impact.kpi} follows ${lag.lag} ${impact.granularity}${lag.lag === 1 ? "" : "s"} later` : lag.lag < 0 ? `${impact.kpi} leads by ${-lag.lag} ${impact.granularity}${lag.lag === -1 ? "" : "s"}` : "none (same bucket)"}, r = ${f(lag.r)} (p Bonferroni ${fp(lag.pBonferroni)})`
          : `Best lag: ${impact.reasons.bestLag ?? "none"}`}
      </p>
    </section>
  );
}
