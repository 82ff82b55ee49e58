import { Link } from "../../components/Link.tsx";

/** Placeholder until scheduled reports land; points at what already answers the question. */
export function ReportsPage() {
  return (
    <section aria-labelledby="reports-title">
      <h1 id="reports-title">Reports</h1>
      <div class="card stack">
        <p>Scheduled drift and performance reports are not available yet. Meanwhile:</p>
        <ul>
          <li>
            the <Link to={{ page: "overview" }}>Overview</Link> shows each model version's current health;
          </li>
          <li>a model's page charts drift per feature, latency and volume over any time range;</li>
          <li>
            <code>vigil drift reference.csv current.csv --html report.html</code> produces a batch drift report from the command line, as a table and as a self-contained HTML file (see <code>docs/cli.md</code>).
          </li>
        </ul>
      </div>
    </section>
  );
}
