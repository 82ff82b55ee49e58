/** Grey placeholder blocks while something loads, announced once to screen readers. */
export function Skeleton({ lines = 3, height = 18, label = "Loading" }: { lines?: number; height?: number; label?: string }) {
  return (
    <div role="status" aria-live="polite" aria-busy="true" class="stack" style={{ gap: "0.5rem" }}>
      <span class="visually-hidden">{label}…</span>
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} class="skeleton" style={{ height: `${height}px`, width: `${100 - (i % 3) * 12}%` }} />
      ))}
    </div>
  );
}
