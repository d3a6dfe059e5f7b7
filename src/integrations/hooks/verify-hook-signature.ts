import { DeploysloError } from "../../core/primitives/error-codes.js";
import { verifyGithubSignature } from "../github/verify-github-signature.js";
import { verifyMlflowSignature } from "../mlflow/verify-mlflow-signature.js";
import type { HookRequest } from "./hook-request.js";
import type { HookSettings, HookSource } from "./hook-settings.js";

/**
 * Checks a delivery's signature with its source's configured secret, over the raw body, before
 * anything else is read: a forged delivery is refused (UNAUTHORIZED, 401) and stores nothing.
 * Called only for the sources the server authenticates by signature (src/server/auth.ts).
 */
export function verifyHookSignature(
  source: HookSource,
  request: HookRequest,
  settings: HookSettings,
): void {
  const secret = settings.secrets[source];
  if (secret !== undefined && source === "mlflow") {
    verifyMlflowSignature(request, secret);
  } else if (secret !== undefined && source === "github") {
    verifyGithubSignature(request, secret);
  } else {
    // Fails closed: a source without a secret, or one that does not sign, is not signed.
    throw new DeploysloError("UNAUTHORIZED", `${source} deliveries carry no signature to check`);
  }
}
