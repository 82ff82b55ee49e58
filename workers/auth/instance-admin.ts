import { constantTimeEqual } from "./constant-time.ts";
import type { Bindings } from "../env.ts";

// The instance admin (who may create orgs) is whoever holds INSTANCE_ADMIN_TOKEN: a
// secret set per deployment (`wrangler secret put INSTANCE_ADMIN_TOKEN`), and generated
// afresh by `npm start`, which prints it. Unset means no token is accepted; users with
// the instance_admin flag can still act as instance admins through their session.

const MIN_LENGTH = 32;

export function isInstanceAdminToken(env: Bindings, token: string): boolean {
  const expected = env.INSTANCE_ADMIN_TOKEN;
  if (!expected || expected.length < MIN_LENGTH) return false;
  const a = new TextEncoder().encode(token);
  const b = new TextEncoder().encode(expected);
  return constantTimeEqual(a, b);
}
