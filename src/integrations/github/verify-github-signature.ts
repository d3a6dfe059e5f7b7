import { createHmac } from "node:crypto";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { constantTimeEqual } from "../hooks/constant-time-equal.js";
import { type HookRequest, header } from "../hooks/hook-request.js";

/**
 * Checks a GitHub webhook delivery: `X-Hub-Signature-256` is `sha256=` + the hex HMAC-SHA256
 * of the raw body with the webhook's secret (GitHub docs, "Validating webhook deliveries").
 * Throws UNAUTHORIZED (401).
 */
export function verifyGithubSignature(request: HookRequest, secret: string): void {
  const signature = header(request, "x-hub-signature-256");
  if (signature === undefined) {
    throw new DeploysloError(
      "UNAUTHORIZED",
      "GitHub webhook refused: X-Hub-Signature-256 is missing (set the webhook's secret)",
    );
  }
  const expected = `sha256=${createHmac("sha256", secret).update(request.rawBody, "utf8").digest("hex")}`;
  if (!constantTimeEqual(signature, expected)) {
    throw new DeploysloError(
      "UNAUTHORIZED",
      "GitHub webhook refused: X-Hub-Signature-256 does not match the body and the configured secret",
    );
  }
}
