// Who signs: a signed-in user, re-authenticated by password at each signing
// (§11.200(a)(1): both components, the user's identity from the session and the password,
// at the first and every following signing in a session). API keys can never sign: a key
// is not a person. Wrong passwords count against the same limits as sign-in
// (users/sign-in-limit.ts), so the signing dialog is no cheaper a password oracle than
// the sign-in page, and each is audited (`signature.failed`).
import { eq } from "drizzle-orm";
import { recordAudit, type AuditActor } from "../audit/record.ts";
import type { Principal } from "../auth/principal.ts";
import type { Queryable } from "../db/queryable.ts";
import { users } from "../db/schema/index.ts";
import type { Bindings } from "../env.ts";
import { ApiError } from "../errors.ts";
import { assertSignInAllowed, recordSignInFailure } from "../users/sign-in-limit.ts";
import { verifyPassword } from "../users/password.ts";
import type { Meaning, SignatureInput, SignedAction } from "./schemas.ts";

export interface Signer {
  userId: string;
  name: string;
  email: string;
  meaning: Meaning;
}

/** What the signature is for, named in the audit entry of a failed attempt. */
export interface SigningAttempt {
  action: SignedAction;
  model: string;
  version: string;
}

/**
 * Checks the signer's password (outside any transaction, so a failure's audit entry
 * commits while the change does not). 403 for an API key, a user without a password or
 * without a full name; 401 for a wrong password; 429 past the sign-in limits.
 */
export async function verifySigner(db: Queryable, env: Bindings, p: Principal, actor: AuditActor, input: SignatureInput, attempt: SigningAttempt): Promise<Signer> {
  if (p.kind !== "user") {
    throw new ApiError(403, "signature_requires_user", "API keys can never sign: an electronic signature is a person's; sign in to the dashboard (or POST /v1/sessions) as yourself and sign there");
  }
  await assertSignInAllowed(env, p.email, actor.ip);
  const [user] = await db.select().from(users).where(eq(users.id, p.userId));
  if (!user || user.disabledAt) throw new ApiError(401, "unauthorized", "the signing account is disabled or gone");
  if (!user.passwordHash) {
    throw new ApiError(403, "password_required", "signing re-authenticates with your password, and this account has none (it signs in by link): set one with PUT /v1/users/me/password first");
  }
  if (!(await verifyPassword(input.password, user.passwordHash))) {
    await recordSignInFailure(env, p.email, actor.ip);
    await recordAudit(db, actor, {
      orgId: p.orgId, action: "signature.failed", targetType: "user", targetId: p.userId,
      details: { reason: "wrong password", signed_action: attempt.action, model: attempt.model, version: attempt.version, meaning: input.meaning },
    });
    throw new ApiError(401, "invalid_password", "the password is wrong; nothing was signed");
  }
  if (!user.name.trim()) {
    throw new ApiError(403, "signer_name_required", "a signature shows the signer's full name (§11.50), and this account has none: set it with PATCH /v1/users/{id} { \"name\" } first");
  }
  return { userId: user.id, name: user.name.trim(), email: user.email, meaning: input.meaning };
}
