import { Fragment } from "preact";
import { PiiTag } from "../../components/DriftTable.tsx";
import { formatTime } from "../../components/format.ts";
import type { VersionSummary } from "../../api/registry.ts";
import type { LiveSnapshot } from "../../state/live-types.ts";

/** Stage, lineage links and baseline state of the version. */
export function VersionInfo({ version, snapshot }: { version: VersionSummary | null; snapshot: LiveSnapshot | null }) {
  const links = version ? Object.entries(version.links) : [];
  return (
    <section class="card" aria-labelledby="version-title">
      <h2 id="version-title">Version and baseline</h2>
      <dl style={{ display: "grid", gridTemplateColumns: "max-content 1fr", gap: "0.3rem 1rem", margin: 0 }}>
        <dt class="muted">Stage</dt>
        <dd style={{ margin: 0 }}>{version?.stage ?? "—"}</dd>
        <dt class="muted">Registered</dt>
        <dd style={{ margin: 0 }}>{formatTime(version?.createdAt ?? null)}</dd>
        <dt class="muted">Features</dt>
        <dd style={{ margin: 0 }}>
          {version ? version.features.length || "schema not set" : "—"}
          {version && <PiiSummary features={version.features} />}
        </dd>
        <dt class="muted">Baseline</dt>
        <dd style={{ margin: 0 }}>
          <BaselineText snapshot={snapshot} />
        </dd>
        {links.map(([k, v]) => (
          <Fragment key={k}>
            <dt class="muted">
              {k}
            </dt>
            <dd style={{ margin: 0, wordBreak: "break-all" }} class="mono">
              {v}
            </dd>
          </Fragment>
        ))}
      </dl>
      {version?.description && <p class="muted">{version.description}</p>}
      {version && version.transitions.length > 0 && (
        <>
          <h3 style={{ marginTop: "0.8rem" }}>Stage history</h3>
          <ol style={{ margin: 0, paddingLeft: "1.2rem" }}>
            {version.transitions.map((t, i) => (
              <li key={i}>
                {t.from ?? "new"} → <strong>{t.to}</strong> by {t.actor}, {formatTime(t.at)}
                {t.note && <span class="muted"> — {t.note}</span>}
              </li>
            ))}
          </ol>
        </>
      )}
    </section>
  );
}

function BaselineText({ snapshot }: { snapshot: LiveSnapshot | null }) {
  const b = snapshot?.baseline;
  if (!b) return <>—</>;
  if (b.status === "ready")
    return (
      <>
        {b.source === "upload" ? "uploaded reference" : "the first events"}, {b.rows.toLocaleString()} rows
        {b.frozenAt ? `, frozen ${formatTime(b.frozenAt)}` : ""}
      </>
    );
  return (
    <>
      collecting the first {b.target.toLocaleString()} events as the reference ({b.rows.toLocaleString()} so far)
      <progress class="progress" max={b.target} value={b.rows} aria-label="Baseline collection progress" />
    </>
  );
}

/** The features tagged PII, each with its tag: what the version holds of personal data. */
function PiiSummary({ features }: { features: VersionSummary["features"] }) {
  const tagged = features.filter((f) => f.pii !== undefined);
  if (tagged.length === 0) return null;
  return (
    <span data-testid="pii-summary">
      {" "}
      ({tagged.length} tagged PII:{" "}
      {tagged.map((f, i) => (
        <Fragment key={f.name}>
          {i > 0 && ", "}
          {f.name}
          <PiiTag tag={f.pii!} />
        </Fragment>
      ))}
      )
    </span>
  );
}
