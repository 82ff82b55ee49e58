import { Link } from "../../components/Link.tsx";

/** Placeholder until business-outcome analytics land (POST /v1/outcomes). */
export function AnalyticsPage() {
  return (
    <section aria-labelledby="analytics-title">
      <h1 id="analytics-title">Analytics</h1>
      <div class="card stack">
        <p>
          Business outcomes sent to <code>POST /v1/outcomes</code> will be charted here against drift and performance. Until then, see{" "}
          <Link to={{ page: "alerts" }}>Alerts</Link> for what changed and when, and the API reference at <a href="/docs">/docs</a>.
        </p>
      </div>
    </section>
  );
}
