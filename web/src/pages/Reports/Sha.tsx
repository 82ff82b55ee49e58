import { useState } from "preact/hooks";

/** A SHA-256 shown short, whole on hover, with a button that copies the whole of it. */
export function Sha({ value }: { value: string | null }) {
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  if (!value) return <span class="muted">—</span>;
  const copy = () => {
    const clip = navigator.clipboard;
    if (!clip) return setCopied("no");
    clip.writeText(value).then(
      () => setCopied("yes"),
      () => setCopied("no"),
    );
  };
  return (
    <span class="row" style={{ gap: "0.3rem", flexWrap: "nowrap" }}>
      <code title={value} data-sha256={value}>
        {value.slice(0, 12)}…
      </code>
      <button type="button" class="link-button" aria-label={`Copy SHA-256 ${value}`} title="Copy the full SHA-256" onClick={copy} style={{ padding: "0 0.35rem", fontSize: "12px" }}>
        {copied === "yes" ? "Copied" : copied === "no" ? "Select" : "Copy"}
      </button>
      {copied === "no" && (
        // No clipboard (an insecure origin, or refused): show the whole hash to select by hand.
        <input readOnly value={value} aria-label="SHA-256" class="mono" size={20} onFocus={(e) => (e.currentTarget as HTMLInputElement).select()} />
      )}
    </span>
  );
}
