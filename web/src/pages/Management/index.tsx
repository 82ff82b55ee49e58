import { useEffect } from "preact/hooks";
import { Link } from "../../components/Link.tsx";
import { loadRegistry } from "../../state/actions.ts";
import { useAppState } from "../../state/app-state.ts";
import { BaselineTab } from "./BaselineTab.tsx";
import { ChannelsTab } from "./ChannelsTab.tsx";
import { ComplianceTab } from "./Compliance/index.tsx";
import { KeysTab } from "./KeysTab.tsx";
import { ModelsTab } from "./ModelsTab.tsx";
import { RulesTab } from "./RulesTab.tsx";
import { UsersTab } from "./UsersTab.tsx";

const TABS = [
  { id: "models", label: "Models", Tab: ModelsTab },
  { id: "baselines", label: "Baselines", Tab: BaselineTab },
  { id: "rules", label: "Rules and thresholds", Tab: RulesTab },
  { id: "channels", label: "Channels", Tab: ChannelsTab },
  { id: "keys", label: "API keys", Tab: KeysTab },
  { id: "users", label: "Users and roles", Tab: UsersTab },
  { id: "compliance", label: "Compliance", Tab: ComplianceTab },
] as const;

/** Registry, baselines, channels, keys and users, one tab each (the tab is in the URL). */
export function ManagementPage({ tab }: { tab?: string }) {
  const state = useAppState();
  const current = TABS.find((t) => t.id === tab) ?? TABS[0];
  useEffect(() => {
    if (state.registry.value.state === "idle") void loadRegistry(state);
  }, [state]);
  return (
    <>
      <div class="page-head">
        <div>
          <h1>Management</h1>
          <p class="muted">Register models, upload baselines, route alerts, and control who and what can access this org.</p>
        </div>
      </div>
      <nav aria-label="Management sections" class="segmented" style={{ marginBottom: "1rem" }}>
        {TABS.map((t) => (
          <Link key={t.id} to={{ page: "management", tab: t.id }} current={t.id === current.id} class="button">
            {t.label}
          </Link>
        ))}
      </nav>
      <current.Tab />
    </>
  );
}
