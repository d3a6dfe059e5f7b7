import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { verifyMlflowSignature } from "./verify-mlflow-signature.js";

const BODY =
  '{"entity": "model_version_alias", "action": "created", "timestamp": "2025-07-31T08:27:32.080217+00:00", "data": {"name": "example_model", "alias": "champion", "version": "7"}}';
const NOW = 1_753_950_452_000;

function request(headers: Record<string, string>, rawBody = BODY, now = NOW) {
  return { rawBody, headers, now };
}

describe("verifyMlflowSignature", () => {
  it("accepts MLflow's scheme: v1, base64 HMAC-SHA256 of `{delivery id}.{timestamp}.{body}`", () => {
    // The same computation as mlflow/webhooks/delivery.py, _generate_hmac_signature.
    const signature = createHmac("sha256", "s3cret")
      .update(`d-1.1753950452.${BODY}`)
      .digest("base64");
    const headers = {
      "x-mlflow-delivery-id": "d-1",
      "x-mlflow-timestamp": "1753950452",
      "x-mlflow-signature": `v1,${signature}`,
    };
    expect(() => verifyMlflowSignature(request(headers), "s3cret")).not.toThrow();
    expect(() => verifyMlflowSignature(request(headers), "other")).toThrow(/does not match/);
    expect(() =>
      verifyMlflowSignature(request({ ...headers, "x-mlflow-delivery-id": "d-2" }), "s3cret"),
    ).toThrow(/does not match/);
    expect(() =>
      verifyMlflowSignature(request(headers, BODY, NOW + 300_000), "s3cret"),
    ).not.toThrow();
    expect(() => verifyMlflowSignature(request(headers, BODY, NOW + 300_001), "s3cret")).toThrow(
      /300 s old/,
    );
    expect(() =>
      verifyMlflowSignature(request({ ...headers, "x-mlflow-signature": signature }), "s3cret"),
    ).toThrow(/v1,/);
    expect(() =>
      verifyMlflowSignature(request({ ...headers, "x-mlflow-timestamp": "soon" }), "s3cret"),
    ).toThrow(/Unix seconds/);
  });
});
