import { useState } from "preact/hooks";
import { describeError } from "../../api/errors.ts";
import { patchRule, tunable, type Rule, type RulePatch } from "../../api/rules.ts";
import { useAppState } from "../../state/app-state.ts";

/** One rule, editable in place; Save sends only what changed. */
export function RuleRow({ rule, onSaved }: { rule: Rule; onSaved: (r: Rule) => void }) {
  const state = useAppState();
  const knob = tunable(rule.condition);
  const initialValue = knob ? rule.condition[knob.field] : undefined;
  const [draft, setDraft] = useState({
    enabled: rule.enabled,
    severity: rule.severity,
    for: String(rule.for),
    cooldown: String(rule.cooldownMinutes),
    value: typeof initialValue === "number" ? String(initialValue) : "",
  });
  const [status, setStatus] = useState<string | null>(null);
  const val = (e: Event) => (e.currentTarget as HTMLInputElement).value;

  const save = async () => {
    const patch: RulePatch = {};
    if (draft.enabled !== rule.enabled) patch.enabled = draft.enabled;
    if (draft.severity !== rule.severity) patch.severity = draft.severity;
    if (Number(draft.for) !== rule.for) patch.for = Number(draft.for);
    if (Number(draft.cooldown) !== rule.cooldownMinutes) patch.cooldown_minutes = Number(draft.cooldown);
    if (knob && draft.value !== "" && Number(draft.value) !== initialValue) patch.condition = { ...rule.condition, [knob.field]: Number(draft.value) };
    if (Object.keys(patch).length === 0) return setStatus("nothing changed");
    setStatus("saving…");
    try {
      onSaved(await patchRule(state.api, rule.id, patch));
      setStatus("saved");
    } catch (err) {
      setStatus(describeError(err));
    }
  };
  const label = `${rule.name}${rule.version ? ` (${rule.version})` : ""}`;
  return (
    <tr>
      <th scope="row" style={{ color: "var(--text)", fontWeight: 500 }}>
        {label}
        <div class="muted mono" style={{ fontWeight: 400 }}>
          {rule.condition.kind} · {rule.window}
          {rule.isDefault ? " · default" : ""}
        </div>
      </th>
      <td>
        <input type="checkbox" checked={draft.enabled} aria-label={`${label} enabled`} onChange={(e) => setDraft({ ...draft, enabled: (e.currentTarget as HTMLInputElement).checked })} />
      </td>
      <td>
        <select value={draft.severity} aria-label={`${label} severity`} onChange={(e) => setDraft({ ...draft, severity: val(e) as Rule["severity"] })}>
          <option value="info">info</option>
          <option value="warning">warning</option>
          <option value="critical">critical</option>
        </select>
      </td>
      <td>
        {knob ? (
          <input type="number" step="any" style={{ width: "7rem" }} value={draft.value} placeholder="scorer default" aria-label={`${label} ${knob.label}`} onInput={(e) => setDraft({ ...draft, value: val(e) })} />
        ) : (
          "—"
        )}
      </td>
      <td>
        <input type="number" min={1} style={{ width: "4.5rem" }} value={draft.for} aria-label={`${label} consecutive evaluations`} onInput={(e) => setDraft({ ...draft, for: val(e) })} />
      </td>
      <td>
        <input type="number" min={0} style={{ width: "5rem" }} value={draft.cooldown} aria-label={`${label} cooldown minutes`} onInput={(e) => setDraft({ ...draft, cooldown: val(e) })} />
      </td>
      <td>
        <button type="button" onClick={() => void save()}>
          Save
        </button>{" "}
        <span role="status" class="muted">
          {status ?? ""}
        </span>
      </td>
    </tr>
  );
}
