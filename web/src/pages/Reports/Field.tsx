import type { ComponentChildren } from "preact";

/**
 * One labelled control with the API's complaint about it underneath. The message sits
 * outside the <label> so it does not become part of the control's name, and the
 * control points at it with aria-describedby (pass `errorId(name)`).
 */
export function Field({ name, label, error, children }: { name: string; label: string; error?: string | null | undefined; children: ComponentChildren }) {
  return (
    <div class="report-field" style={{ display: "flex", flexDirection: "column", gap: "0.2rem" }}>
      <label>
        {label}
        {children}
      </label>
      {error && (
        <span id={errorId(name)} class="warn" data-testid={errorId(name)} style={{ fontSize: "12px", maxWidth: "22rem" }}>
          {error}
        </span>
      )}
    </div>
  );
}

export const errorId = (name: string) => `${name}-error`;

/** The ARIA attributes of a control whose field may carry an error. */
export function invalidProps(name: string, error: string | null | undefined) {
  return error ? { "aria-invalid": "true" as const, "aria-describedby": errorId(name) } : {};
}
