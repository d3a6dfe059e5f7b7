import { createHmac } from "node:crypto";
import { DeploysloError } from "../../core/primitives/error-codes.js";
import { constantTimeEqual } from "../hooks/constant-time-equal.js";
import { type HookRequest, header } from "../hooks/hook-request.js";

/** MLflow's receiver guide rejects deliveries older than this; we take the same window. */
export const MLFLOW_MAX_AGE_SECONDS = 300;

function refuse(message: string): DeploysloError {
  return new DeploysloError("UNAUTHORIZED", `MLflow webhook refused: ${message}`);
}

/**
 * Checks an MLflow (3.3+) webhook delivery signed with the webhook's secret: `X-MLflow-Signature`
 * is `v1,` + base64 HMAC-SHA256 of `{X-MLflow-Delivery-Id}.{X-MLflow-Timestamp}.{raw body}`
 * (mlflow/webhooks/delivery.py). A timestamp more than 5 minutes from now, either way, is
 * refused, so a captured delivery cannot be replayed later. Throws UNAUTHORIZED (401).
 */
export function verifyMlflowSignature(request: HookRequest, secret: string): void {
  const signature = header(request, "x-mlflow-signature");
  const deliveryId = header(request, "x-mlflow-delivery-id");
  const timestamp = header(request, "x-mlflow-timestamp");
  if (signature === undefined) {
    throw refuse("X-MLflow-Signature is missing (create the webhook with the same secret)");
  }
  if (deliveryId === undefined || deliveryId === "") {
    throw refuse("X-MLflow-Delivery-Id is missing");
  }
  if (timestamp === undefined || !/^\d{1,12}$/.test(timestamp)) {
    throw refuse("X-MLflow-Timestamp is missing or not Unix seconds");
  }
  const age = request.now / 1000 - Number(timestamp);
  if (Math.abs(age) > MLFLOW_MAX_AGE_SECONDS) {
    throw refuse(
      `X-MLflow-Timestamp is ${Math.round(Math.abs(age))} s ${age > 0 ? "old" : "ahead"}; at most ${MLFLOW_MAX_AGE_SECONDS} s is accepted`,
    );
  }
  if (!signature.startsWith("v1,")) {
    throw refuse("X-MLflow-Signature does not start with v1,");
  }
  const expected = createHmac("sha256", secret)
    .update(`${deliveryId}.${timestamp}.${request.rawBody}`, "utf8")
    .digest("base64");
  if (!constantTimeEqual(signature.slice(3), expected)) {
    throw refuse("X-MLflow-Signature does not match the body and the configured secret");
  }
}
