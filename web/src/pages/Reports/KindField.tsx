import { KIND_LABELS, REPORT_KINDS, type ReportKind } from "../../api/reports.ts";
import { Field, invalidProps } from "./Field.tsx";

/** The report kind picker shared by the report form and the schedule form (`<idPrefix>-kind`). */
export function KindField({ idPrefix, value, error, onChange }: { idPrefix: string; value: ReportKind; error?: string | null | undefined; onChange: (kind: ReportKind) => void }) {
  const name = `${idPrefix}-kind`;
  return (
    <Field name={name} label="Kind" error={error}>
      <select data-testid={name} value={value} {...invalidProps(name, error)} onChange={(e) => onChange((e.target as HTMLSelectElement).value as ReportKind)}>
        {REPORT_KINDS.map((k) => (
          <option key={k} value={k}>
            {KIND_LABELS[k]}
          </option>
        ))}
      </select>
    </Field>
  );
}
