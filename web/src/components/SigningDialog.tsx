import { useEffect, useRef, useState } from "preact/hooks";
import { MEANINGS, type Meaning, type SignatureInput } from "../api/compliance.ts";
import { describeError } from "../api/errors.ts";
import { useAppState } from "../state/app-state.ts";

const MEANING_TEXT: Record<Meaning, string> = {
  approved: "Approved: I approve this change",
  reviewed: "Reviewed: I reviewed this change",
  responsible: "Responsible: I take responsibility for this change",
};

/**
 * The electronic signature dialog (21 CFR Part 11 §11.50, §11.200): says what is being
 * signed and by whom, asks for the meaning and the signer's password (every signing
 * re-authenticates), and hands both to `sign`. A wrong password stays in the dialog with
 * the server's message; nothing is signed until the server accepts it. A pasted API key
 * cannot sign, so the dialog says so instead of asking.
 */
export function SigningDialog({ title, what, sign, onClose }: { title: string; what: string; sign: (s: SignatureInput) => Promise<void>; onClose: () => void }) {
  const state = useAppState();
  const ref = useRef<HTMLDialogElement>(null);
  const [password, setPassword] = useState("");
  const [meaning, setMeaning] = useState<Meaning>("approved");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const credentials = state.credentials.value;
  const signer = credentials?.kind === "session" ? credentials.email : null;

  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal?.();
    return () => dialog?.close?.();
  }, []);

  const submit = async (e: Event) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await sign({ password, meaning });
      onClose();
    } catch (err) {
      setError(describeError(err));
      setPassword("");
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} class="dialog card" aria-labelledby="signing-title" onCancel={(e) => (e.preventDefault(), onClose())}>
      <form class="stack" onSubmit={submit} aria-label="Electronic signature">
        <h2 id="signing-title">{title}</h2>
        <p>{what}</p>
        {signer ? (
          <>
            <p class="muted">
              Signing as <strong>{signer}</strong>. Your signature, with your full name, the time (UTC) and its meaning, is bound to this exact record and kept in the audit log. It
              is the legally binding equivalent of your handwritten signature.
            </p>
            <fieldset class="stack" style={{ gap: "0.3rem", border: 0, padding: 0, margin: 0 }}>
              <legend>Meaning of the signature</legend>
              {MEANINGS.map((m) => (
                <label key={m} class="row">
                  <input type="radio" name="meaning" value={m} checked={meaning === m} onChange={() => setMeaning(m)} />
                  {MEANING_TEXT[m]}
                </label>
              ))}
            </fieldset>
            <label>
              Password
              <input type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} />
            </label>
            {error && (
              <p class="notice" role="alert">
                {error}
              </p>
            )}
            <div class="row">
              <button class="primary" type="submit" disabled={busy || !password}>
                {busy ? "Signing…" : "Sign"}
              </button>
              <button type="button" onClick={onClose}>
                Cancel
              </button>
            </div>
          </>
        ) : (
          <>
            <p class="notice" role="alert">
              An electronic signature is a person's: API keys can never sign. Sign out and sign in with your email and password to sign.
            </p>
            <div class="row">
              <button type="button" onClick={onClose}>
                Close
              </button>
            </div>
          </>
        )}
      </form>
    </dialog>
  );
}
