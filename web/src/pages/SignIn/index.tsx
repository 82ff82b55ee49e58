import { PasswordForm } from "./PasswordForm.tsx";
import { useState } from "preact/hooks";
import { useAppState } from "../../state/app-state.ts";
import { signInWithKey } from "../../state/actions.ts";

/** Sign in with an account (cookie session) or by pasting an API key (kept in this tab only). */
export function SignInPage() {
  const state = useAppState();
  const [key, setKey] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <section class="card" style={{ maxWidth: "34rem", margin: "3rem auto" }} aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to Vigil</h1>
      <p class="muted">
        On a local stack, <code>npm start</code> prints a one-time login link and an admin API key for the <code>local</code> org.
      </p>
      <PasswordForm />
      <h2 style={{ marginTop: "1.5rem" }}>Or use an API key</h2>
      <p class="muted">A key with <code>read</code> scope. It is kept only in this browser tab.</p>
      <form
        aria-label="Sign in with an API key"
        class="stack"
        onSubmit={(e) => {
          e.preventDefault();
          setProblem(signInWithKey(state, key, globalThis.sessionStorage));
        }}
      >
        <label>
          API key
          <input
            name="api-key"
            type="password"
            autocomplete="off"
            spellcheck={false}
            placeholder="vgl_1a2b3c4d_…"
            value={key}
            onInput={(e) => setKey((e.currentTarget as HTMLInputElement).value)}
            aria-invalid={problem ? true : undefined}
            aria-describedby={problem ? "signin-problem" : undefined}
            required
          />
        </label>
        {problem && (
          <p id="signin-problem" role="alert" style={{ color: "var(--bad)", margin: 0 }}>
            {problem}
          </p>
        )}
        <div>
          <button type="submit">Use this key</button>
        </div>
      </form>
    </section>
  );
}
