import { ApprovalsPanel } from "./ApprovalsPanel.tsx";
import { ErasurePanel } from "./ErasurePanel.tsx";
import { RetentionPanel } from "./RetentionPanel.tsx";
import { SignaturePolicyPanel } from "./SignaturePolicyPanel.tsx";

/**
 * Compliance (docs/compliance.md): the changes waiting for electronic signatures, the
 * signature policy, retention, and erasure requests with their certificates. Each panel
 * loads on its own, so one missing API (an older server) does not hide the others.
 */
export function ComplianceTab() {
  return (
    <div class="stack">
      <ApprovalsPanel />
      <SignaturePolicyPanel />
      <RetentionPanel />
      <ErasurePanel />
    </div>
  );
}
