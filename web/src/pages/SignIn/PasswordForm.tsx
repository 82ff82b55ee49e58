import { useState } from "preact/hooks";
import { useAppState } from "../../state/app-state.ts";
import { signInWithEmail } from "../../state/actions.ts";

/** Email and password: the server sets an HttpOnly session cookie. */
export function PasswordForm() {
  const state = useAppState();
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  return (
    <form
      class="stack"
      aria-label="Sign in with email and password"
      onSubmit={async (e) => {
        e.preventDefault();
        setBusy(true);
        setProblem(await signInWithEmail(state, email, password));
        setBusy(false);
      }}
    >
      <label>
        Email
        <input type="email" autocomplete="username" required value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
      </label>
      <label>
        Password
        <input type="password" autocomplete="current-password" required value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} />
      </label>
      {problem && (
        <p role="alert" style={{ color: "var(--bad)", margin: 0 }}>
          {problem}
        </p>
      )}
      <div>
        <button class="primary" type="submit" disabled={busy}>
          Sign in
        </button>
      </div>
    </form>
  );
}
