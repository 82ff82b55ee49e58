// The signer of a request that carries `"signature": { password, meaning }`: the signed-in
// user, re-authenticated (workers/signatures/signer.ts). Undefined when no signature came.
import type { Context } from "hono";
import type { AppEnv } from "../env.ts";
import type { SignatureInput } from "../signatures/schemas.ts";
import { verifySigner, type Signer, type SigningAttempt } from "../signatures/signer.ts";
import { actorOf, principalOf } from "./request-context.ts";

export async function signerOf(c: Context<AppEnv>, signature: SignatureInput | undefined, attempt: SigningAttempt): Promise<Signer | undefined> {
  if (!signature) return undefined;
  return verifySigner(c.var.db(), c.env, principalOf(c), actorOf(c), signature, attempt);
}
