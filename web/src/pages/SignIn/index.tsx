import { useState } from "preact/hooks";
import { useAppState } from "../../state/app-state.ts";
import { signInWithKey } from "../../state/actions.ts";

/** Sign in by pasting an API key; it stays in this tab's sessionStorage only. */
export function SignInPage() {
  const state = useAppState();
  const [key, setKey] = useState("");
  const [problem, setProblem] = useState<string | null>(null);
  return (
    <section class="card" style={{ maxWidth: "34rem", margin: "3rem auto" }} aria-labelledby="signin-title">
      <h1 id="signin-title">Sign in to Vigil</h1>
      <p class="muted">
        Paste an API key with <code>read</code> scope. On a local stack, <code>npm start</code> prints an admin key for the
        <code> local</code> org. The key is kept only in this browser tab.
      </p>
      <form
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
          <button class="primary" type="submit">
            Sign in
          </button>
        </div>
      </form>
    </section>
  );
}
