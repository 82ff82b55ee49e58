import { useEffect } from "preact/hooks";
import { listProjects, type ReportKind } from "../../api/reports.ts";
import { listModels, listVersions } from "../../api/registry.ts";
import { useRequest } from "../../api/use-request.ts";
import { useAppState } from "../../state/app-state.ts";
import { Field, invalidProps } from "./Field.tsx";
import { visibleFields, type ComplianceScope, type FieldErrors } from "./report-form.ts";

export interface ScopeValue {
  kind: ReportKind;
  scope: ComplianceScope;
  model: string;
  version: string;
  project: string;
}

const value = (e: Event) => (e.currentTarget as HTMLSelectElement).value;

/**
 * What the report is about: model and version from the registry (the version optional for
 * model-risk), or for the compliance kinds the whole org, a project or a model.
 */
export function ScopePickers({ idPrefix, form, errors, onChange }: { idPrefix: string; form: ScopeValue; errors: FieldErrors; onChange: (patch: Partial<ScopeValue>) => void }) {
  const { api } = useAppState();
  const show = visibleFields(form);
  const models = useRequest((s) => listModels(api, s), [api]);
  const versions = useRequest((s) => (show.model && form.model ? listVersions(api, form.model, s) : Promise.resolve([])), [api, form.model, show.model]);
  const projects = useRequest((s) => (show.project ? listProjects(api, s) : Promise.resolve([])), [api, show.project]);

  // Start from the first model and its production version (else its newest), as the other pages do.
  useEffect(() => {
    if (show.model && !form.model && models.data?.[0]) onChange({ model: models.data[0].name, version: "" });
  }, [models.data, show.model]);
  useEffect(() => {
    const list = versions.data ?? [];
    if (show.versionOptional || list.length === 0 || list.some((v) => v.version === form.version)) return;
    onChange({ version: (list.find((v) => v.stage === "production") ?? list[list.length - 1]!).version });
  }, [versions.data, show.versionOptional]);
  useEffect(() => {
    if (show.project && !form.project && projects.data?.[0]) onChange({ project: projects.data[0].slug });
  }, [projects.data, show.project]);

  const modelError = errors.model ?? models.error;
  const versionError = errors.version ?? versions.error;
  const projectError = errors.project ?? projects.error;
  return (
    <>
      {show.scope && (
        <Field name={`${idPrefix}-scope`} label="Covers">
          <select data-testid={`${idPrefix}-scope`} value={form.scope} onChange={(e) => onChange({ scope: value(e) as ComplianceScope })}>
            <option value="org">The whole org</option>
            <option value="project">One project</option>
            <option value="model">One model</option>
          </select>
        </Field>
      )}
      {show.project && (
        <Field name={`${idPrefix}-project`} label="Project" error={projectError}>
          <select data-testid={`${idPrefix}-project`} value={form.project} {...invalidProps(`${idPrefix}-project`, projectError)} onChange={(e) => onChange({ project: value(e) })}>
            {form.project === "" && <option value="">—</option>}
            {(projects.data ?? []).map((p) => (
              <option key={p.id} value={p.slug}>
                {p.name === p.slug ? p.slug : `${p.name} (${p.slug})`}
              </option>
            ))}
          </select>
        </Field>
      )}
      {show.model && (
        <Field name={`${idPrefix}-model`} label="Model" error={modelError}>
          <select data-testid={`${idPrefix}-model`} value={form.model} {...invalidProps(`${idPrefix}-model`, modelError)} onChange={(e) => onChange({ model: value(e), version: "" })}>
            {form.model === "" && <option value="">—</option>}
            {(models.data ?? []).map((m) => (
              <option key={m.name} value={m.name}>
                {m.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      {show.model && show.version && (
        <Field name={`${idPrefix}-version`} label="Version" error={versionError}>
          <select data-testid={`${idPrefix}-version`} value={form.version} {...invalidProps(`${idPrefix}-version`, versionError)} onChange={(e) => onChange({ version: value(e) })}>
            {show.versionOptional ? <option value="">All versions</option> : form.version === "" && <option value="">—</option>}
            {(versions.data ?? []).map((v) => (
              <option key={v.version} value={v.version}>
                {v.version} ({v.stage})
              </option>
            ))}
          </select>
        </Field>
      )}
    </>
  );
}
