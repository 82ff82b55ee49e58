import { useState } from "preact/hooks";
import { describeError } from "../../api/errors.ts";
import { useRequest } from "../../api/use-request.ts";
import { createUser, listUsers, ROLES, setUserRole, type Role } from "../../api/users.ts";
import { ErrorBanner } from "../../components/ErrorBanner.tsx";
import { RequestStatus } from "../../components/RequestStatus.tsx";
import { useAppState } from "../../state/app-state.ts";

/** People in this org and their roles (owner, admin, editor, viewer). */
export function UsersTab() {
  const state = useAppState();
  const users = useRequest((s) => listUsers(state.api, s), [state]);
  const [email, setEmail] = useState("");
  const [role, setRole] = useState<Role>("viewer");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const run = async (call: () => Promise<unknown>) => {
    setError(null);
    try {
      await call();
      users.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <div class="stack">
      {error && <ErrorBanner title="Not saved" message={error} />}
      <form
        class="card row"
        style={{ alignItems: "flex-end" }}
        aria-label="Add a user"
        onSubmit={(e) => {
          e.preventDefault();
          void run(() => createUser(state.api, { email: email.trim(), role, ...(password ? { password } : {}) }).then(() => (setEmail(""), setPassword(""))));
        }}
      >
        <label>
          Email
          <input type="email" required value={email} onInput={(e) => setEmail((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          Initial password (optional, 12+ characters)
          <input type="password" autocomplete="new-password" minLength={12} value={password} onInput={(e) => setPassword((e.currentTarget as HTMLInputElement).value)} />
        </label>
        <label>
          Role
          <select value={role} onChange={(e) => setRole((e.currentTarget as HTMLSelectElement).value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {r}
              </option>
            ))}
          </select>
        </label>
        <button class="primary" type="submit">
          Add user
        </button>
      </form>
      <RequestStatus request={users} what="users" />
      {users.data && (
        <table class="card">
          <thead>
            <tr>
              <th scope="col">Email</th>
              <th scope="col">Name</th>
              <th scope="col">Role</th>
            </tr>
          </thead>
          <tbody>
            {users.data.items.length === 0 && (
              <tr>
                <td colSpan={3} class="muted">
                  No users yet.
                </td>
              </tr>
            )}
            {users.data.items.map((u) => (
              <tr key={u.id}>
                <td>{u.email}</td>
                <td>
                  {u.name || "—"}
                  {u.has_password === false && <span class="muted"> (no password: login link only)</span>}
                  {u.suspended && <span class="muted"> (suspended)</span>}
                </td>
                <td>
                  <label>
                    <span class="visually-hidden">Role of {u.email}</span>
                    <select value={u.role} onChange={(e) => void run(() => setUserRole(state.api, u.id, (e.currentTarget as HTMLSelectElement).value as Role))}>
                      {ROLES.map((r) => (
                        <option key={r} value={r}>
                          {r}
                        </option>
                      ))}
                    </select>
                  </label>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
