import { describe, expect, it } from "vitest";
import { parsePurl } from "./parse-purl.js";

describe("parsePurl", () => {
  it("reads the name and version of purl-spec examples", () => {
    // purl-spec types/mlflow: pkg:mlflow/<name>@<version>?model_uuid=…&run_id=…&repository_url=…
    expect(
      parsePurl("pkg:mlflow/trafficsigns@10?model_uuid=36233173b22f4c89b451f1228d700d49"),
    ).toEqual({
      name: "trafficsigns",
      version: "10",
    });
    expect(
      parsePurl(
        "pkg:huggingface/microsoft/deberta-v3-base@559062ad13d311b87b2c455e67dcd5f1c8f65111",
      ),
    ).toEqual({
      name: "deberta-v3-base",
      version: "559062ad13d311b87b2c455e67dcd5f1c8f65111",
    });
    expect(
      parsePurl(
        "pkg:oci/myapp@sha256%3A0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427",
      ),
    ).toEqual({
      name: "myapp",
      version: "sha256:0b31b1c02ff458ad9b7b81cbdf8f028bd54699fa151f221d1e8de6817db93427",
    });
    expect(parsePurl("pkg:mlflow/fraud-model")).toEqual({ name: "fraud-model" });
  });

  it("refuses what is not a purl", () => {
    expect(parsePurl("fraud-model@7")).toBeUndefined();
    expect(parsePurl("pkg:mlflow/%E0%A4%A@1")).toBeUndefined();
  });
});
