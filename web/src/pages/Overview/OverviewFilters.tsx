import { useAppState, type OverviewFilter, type OverviewSort } from "../../state/app-state.ts";

const STAGES = ["development", "staging", "production", "archived"];
const STATUSES = [
  ["healthy", "Healthy"],
  ["warning", "Warning"],
  ["drifting", "Drifting"],
  ["degraded", "Degraded"],
  ["no_data", "No data"],
] as const;

export function OverviewFilters() {
  const state = useAppState();
  const f = state.filter.value;
  const set = (patch: Partial<OverviewFilter>) => (state.filter.value = { ...f, ...patch });
  const value = (e: Event) => (e.currentTarget as HTMLInputElement | HTMLSelectElement).value;
  return (
    <form class="filters" role="search" aria-label="Filter models" onSubmit={(e) => e.preventDefault()}>
      <label>
        Search
        <input type="search" value={f.search} placeholder="model or version" onInput={(e) => set({ search: value(e) })} />
      </label>
      <label>
        Project
        <select value={f.project} onChange={(e) => set({ project: value(e) })}>
          <option value="">All projects</option>
          {state.projects.value.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      <label>
        Stage
        <select value={f.stage} onChange={(e) => set({ stage: value(e) })}>
          <option value="">All stages</option>
          {STAGES.map((s) => (
            <option key={s} value={s}>
              {s}
            </option>
          ))}
        </select>
      </label>
      <label>
        Status
        <select value={f.status} onChange={(e) => set({ status: value(e) as OverviewFilter["status"] })}>
          <option value="">All statuses</option>
          {STATUSES.map(([v, l]) => (
            <option key={v} value={v}>
              {l}
            </option>
          ))}
        </select>
      </label>
      <label>
        Sort by
        <select value={state.sort.value} onChange={(e) => (state.sort.value = value(e) as OverviewSort)}>
          <option value="status">Worst status first</option>
          <option value="rate">Event rate</option>
          <option value="name">Name</option>
        </select>
      </label>
    </form>
  );
}
