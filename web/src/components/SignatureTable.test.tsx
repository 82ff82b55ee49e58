import { cleanup, render, screen, within } from "@testing-library/preact";
import { afterEach, describe, expect, it } from "vitest";
import type { Signature } from "../api/compliance.ts";
import { SignatureTable, utc } from "./SignatureTable.tsx";

afterEach(cleanup);

const signature: Signature = {
  id: "s1", action: "production_promotion", targetType: "model_version", targetId: "v1", signer: { name: "Grace Hopper", email: "grace@x.test" },
  meaning: "responsible", signedAt: "2026-11-26T09:08:07.654Z", recordSha256: "ab".repeat(32), auditId: 3,
};

describe("SignatureTable", () => {
  it("shows each signature's change, signer name and email, meaning, UTC time and record hash", () => {
    render(<SignatureTable items={[signature]} empty="none" />);
    const row = within(screen.getByRole("table", { name: "Signatures" })).getAllByRole("row")[1]!;
    expect(row.textContent).toContain("Promotion to production");
    expect(row.textContent).toContain("Grace Hopper (grace@x.test)");
    expect(row.textContent).toContain("responsible");
    expect(row.textContent).toContain("2026-11-26 09:08:07 UTC");
    expect(within(row).getByTitle("ab".repeat(32)).textContent).toBe(`${"ab".repeat(6)}…`);
  });

  it("says so when nothing was signed", () => {
    render(<SignatureTable items={[]} empty="Nothing signed for this version yet." />);
    expect(screen.getByText("Nothing signed for this version yet.")).toBeTruthy();
    expect(utc("2026-01-02T03:04:05.000Z")).toBe("2026-01-02 03:04:05 UTC");
  });
});
