/** Registry, baselines, channels, keys and users. */
export function ManagementPage({ tab }: { tab?: string }) {
  return (
    <section>
      <h1>Management</h1>
      <p class="muted">{tab ?? "models"}</p>
    </section>
  );
}
