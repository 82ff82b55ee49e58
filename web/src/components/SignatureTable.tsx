import { ACTION_LABELS, type Signature } from "../api/compliance.ts";

/** UTC, to the second, as a signature record holds its time (§11.50(a)(2)). */
export const utc = (iso: string) => `${iso.slice(0, 19).replace("T", " ")} UTC`;

/** Who signed what: the change, the signer's name and email, the meaning, the UTC time and the signed record's hash. */
export function SignatureTable({ items, empty }: { items: Signature[]; empty: string }) {
  if (items.length === 0) return <p class="muted">{empty}</p>;
  return (
    <table aria-label="Signatures">
      <thead>
        <tr>
          <th scope="col">Signed</th>
          <th scope="col">Signer</th>
          <th scope="col">Meaning</th>
          <th scope="col">Time</th>
          <th scope="col">Record SHA-256</th>
        </tr>
      </thead>
      <tbody>
        {items.map((s) => (
          <tr key={s.id}>
            <td>{ACTION_LABELS[s.action]}</td>
            <td>
              {s.signer.name} <span class="muted">({s.signer.email})</span>
            </td>
            <td>{s.meaning}</td>
            <td class="mono">{utc(s.signedAt)}</td>
            <td class="mono" title={s.recordSha256}>
              {s.recordSha256.slice(0, 12)}…
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
