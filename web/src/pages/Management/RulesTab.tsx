import { useState } from "preact/hooks";
import { listRules, type Rule } from "../../api/rules.ts";
import { useRequest } from "../../api/use-request.ts";
import { RequestStatus } from "../../components/RequestStatus.tsx";
import { useAppState } from "../../state/app-state.ts";
import { RuleRow } from "./RuleRow.tsx";

/** A model's alert rules (defaults included) with their thresholds, hysteresis and cooldown. */
export function RulesTab() {
  const state = useAppState();
  const reg = state.registry.value;
  const names = reg.state === "ready" ? [...new Set(reg.data.map((r) => r.model.name))] : [];
  const [model, setModel] = useState("");
  const chosen = model || names[0] || "";
  const rules = useRequest((s) => (chosen ? listRules(state.api, chosen, s) : Promise.resolve([] as Rule[])), [state, chosen]);
  const [saved, setSaved] = useState<Record<string, Rule>>({});
  return (
    <div class="stack">
      <label style={{ maxWidth: "20rem" }}>
        Model
        <input list="rule-models" value={chosen} onChange={(e) => setModel((e.currentTarget as HTMLInputElement).value)} />
        <datalist id="rule-models">
          {names.map((n) => (
            <option key={n} value={n} />
          ))}
        </datalist>
      </label>
      <RequestStatus request={rules} what="alert rules" />
      {rules.data && rules.data.length === 0 && <p class="muted">{chosen ? "No rules for this model." : "Choose a model."}</p>}
      {rules.data && rules.data.length > 0 && (
        <table class="card">
          <thead>
            <tr>
              <th scope="col">Rule</th>
              <th scope="col">On</th>
              <th scope="col">Severity</th>
              <th scope="col">Threshold</th>
              <th scope="col">For (evals)</th>
              <th scope="col">Cooldown (min)</th>
              <th scope="col">
                <span class="visually-hidden">Save</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {rules.data.map((r) => (
              <RuleRow key={r.id} rule={saved[r.id] ?? r} onSaved={(next) => setSaved({ ...saved, [next.id]: next })} />
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
