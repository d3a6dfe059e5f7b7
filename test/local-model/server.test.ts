import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import {
  call,
  inferRequest,
  MODEL_DIR,
  startModelServer,
  startScript,
  stopAllScripts,
} from "./local-target.js";

const FORMAT = "deployslo-local-model/softmax-regression@1";

// examples/local-model/server.mjs answers the Open Inference Protocol v2 for one model version.

const SETOSA = [5.1, 3.5, 1.4, 0.2];
const VERSICOLOR = [7.0, 3.2, 4.7, 1.4];
const VIRGINICA = [6.3, 3.3, 6.0, 2.5];

interface Tensor {
  name: string;
  shape: number[];
  datatype: string;
  data: unknown[];
}

interface InferResponse {
  model_name: string;
  model_version: string;
  id: string;
  outputs: Tensor[];
}

afterEach(async () => {
  await stopAllScripts();
});

describe("examples/local-model/server.mjs", () => {
  it.each([
    // Version 1 trained briefly and takes this versicolor for a virginica; version 2 does not.
    { version: "1", labels: ["setosa", "virginica", "virginica"] },
    { version: "2", labels: ["setosa", "versicolor", "virginica"] },
  ])("serves version $version over OIP v2", async ({ version, labels }) => {
    const { url, script } = await startModelServer(version);
    expect(script.stdout()).toMatch(`ready on ${url}: iris version ${version} (loaded in `);

    expect(await call(`${url}/v2/health/live`)).toMatchObject({
      status: 200,
      json: { live: true },
    });
    expect(await call(`${url}/v2/health/ready`)).toMatchObject({
      status: 200,
      json: { ready: true },
    });
    expect(await call(`${url}/v2/models/iris/ready`)).toMatchObject({
      status: 200,
      json: { name: "iris", ready: true },
    });
    expect(await call(`${url}/v2/models/iris/versions/${version}/ready`)).toMatchObject({
      status: 200,
    });

    const metadata = await call(`${url}/v2/models/iris`);
    expect(metadata).toMatchObject({
      status: 200,
      json: {
        name: "iris",
        versions: [version],
        inputs: [{ name: "input-0", datatype: "FP32", shape: [-1, 4] }],
        outputs: [
          { name: "label", datatype: "BYTES", shape: [-1] },
          { name: "probabilities", datatype: "FP32", shape: [-1, 3] },
        ],
        parameters: { classes: ["setosa", "versicolor", "virginica"] },
      },
    });

    for (const path of ["/v2/models/iris/infer", `/v2/models/iris/versions/${version}/infer`]) {
      const reply = await call(
        `${url}${path}`,
        "POST",
        inferRequest([SETOSA, VERSICOLOR, VIRGINICA], "canary-1"),
      );
      expect(reply.status, JSON.stringify(reply.json)).toBe(200);
      const body = reply.json as InferResponse;
      expect(body).toMatchObject({ model_name: "iris", model_version: version, id: "canary-1" });
      const [label, probabilities] = body.outputs;
      expect(label).toEqual({ name: "label", shape: [3], datatype: "BYTES", data: labels });
      expect(probabilities).toMatchObject({
        name: "probabilities",
        shape: [3, 3],
        datatype: "FP32",
      });
      const p = (probabilities?.data ?? []) as number[];
      expect(p).toHaveLength(9);
      for (let row = 0; row < 3; row++) {
        const sum = p.slice(row * 3, row * 3 + 3).reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(1, 4);
      }
    }

    const other = version === "1" ? "2" : "1";
    const wrong = await call(
      `${url}/v2/models/iris/versions/${other}/infer`,
      "POST",
      inferRequest([SETOSA]),
    );
    expect(wrong.status).toBe(404);
    expect(wrong.json).toEqual({
      error: `model iris version ${other} is not served here (this server serves version ${version})`,
    });
  });

  it("accepts flat data, generates an id and returns only the outputs asked for", async () => {
    const { url } = await startModelServer("2");
    const reply = await call(`${url}/v2/models/iris/infer`, "POST", {
      inputs: [{ name: "x", shape: [2, 4], datatype: "FP32", data: [...SETOSA, ...VIRGINICA] }],
      outputs: [{ name: "label" }],
    });
    expect(reply.status).toBe(200);
    const body = reply.json as InferResponse;
    expect(body.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.outputs).toEqual([
      { name: "label", shape: [2], datatype: "BYTES", data: ["setosa", "virginica"] },
    ]);
  });

  it("answers bad requests with 400 and an error saying what is wrong", async () => {
    const { url } = await startModelServer("2");
    const infer = `${url}/v2/models/iris/infer`;
    const input = { name: "input-0", shape: [1, 4], datatype: "FP32", data: SETOSA };
    const cases: [unknown, RegExp][] = [
      ["{not json", /not valid JSON/],
      [{}, /inputs must be an array with exactly one tensor/],
      [{ inputs: [input, input] }, /exactly one tensor/],
      [{ inputs: [{ ...input, datatype: "INT64" }] }, /datatype must be FP32/],
      [{ inputs: [{ ...input, shape: [1, 3], data: [1, 2, 3] }] }, /shape must be \[n, 4\]/],
      [{ inputs: [{ ...input, shape: [2, 4] }] }, /data has 4 values, shape \[2,4\] needs 8/],
      [{ inputs: [{ ...input, data: [1, 2, "3", 4] }] }, /data\[2\] is not a finite number/],
      [{ inputs: [input], outputs: [{ name: "logits" }] }, /outputs\[0\]\.name must be one of/],
      [{ id: 7, inputs: [input] }, /id must be a string/],
    ];
    for (const [body, message] of cases) {
      const reply = await call(infer, "POST", body);
      expect(reply.status, JSON.stringify(body)).toBe(400);
      expect((reply.json as { error: string }).error).toMatch(message);
    }
    expect(
      (await call(`${url}/v2/models/other/infer`, "POST", inferRequest([SETOSA]))).status,
    ).toBe(404);
    expect((await call(infer, "GET")).status).toBe(405);
    expect((await call(`${url}/nowhere`)).status).toBe(404);
  });

  it("is live but not ready while the model loads (--load-delay-ms)", async () => {
    // A delay far longer than the test: the checks below run during the simulated cold start.
    const script = startScript("server.mjs", [
      "--model-dir",
      MODEL_DIR,
      "--version",
      "2",
      "--port",
      "0",
      "--load-delay-ms",
      "600000",
    ]);
    const [, url = ""] = await script.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) /);
    expect((await call(`${url}/v2/health/live`)).status).toBe(200);
    expect(await call(`${url}/v2/health/ready`)).toMatchObject({
      status: 503,
      json: { ready: false },
    });
    expect(await call(`${url}/v2/models/iris/ready`)).toMatchObject({
      status: 503,
      json: { name: "iris", ready: false },
    });
    expect(await call(`${url}/v2/models/iris/infer`, "POST", inferRequest([SETOSA]))).toMatchObject(
      {
        status: 503,
        json: { error: "model iris version 2 is still loading" },
      },
    );
    expect(await script.stop()).toEqual({ code: 0, signal: null });
  });

  it("exits 1 with the reason when the version cannot load (the broken version 3)", async () => {
    const script = startScript("server.mjs", [
      "--model-dir",
      MODEL_DIR,
      "--version",
      "3",
      "--port",
      "0",
    ]);
    expect((await script.exited).code).toBe(1);
    expect(script.stderr()).toMatch(
      /cannot load iris version 3 from .*model\.json: weights\[0\] has 3 values, expected 4 \(one per feature\)/,
    );
    expect(script.stdout()).not.toMatch(/ready on/);
  });

  it("exits 1 for a version that does not exist and 2 for a usage error", async () => {
    const missing = startScript("server.mjs", [
      "--model-dir",
      MODEL_DIR,
      "--version",
      "9",
      "--port",
      "0",
    ]);
    expect((await missing.exited).code).toBe(1);
    expect(missing.stderr()).toMatch(/cannot load iris version 9 .*ENOENT/);

    const usage = startScript("server.mjs", ["--model-dir", MODEL_DIR, "--port", "0"]);
    expect((await usage.exited).code).toBe(2);
    expect(usage.stderr()).toMatch(/--version is required\nusage: /);

    const badPort = startScript("server.mjs", [
      "--model-dir",
      MODEL_DIR,
      "--version",
      "1",
      "--port",
      "http",
    ]);
    expect((await badPort.exited).code).toBe(2);
    expect(badPort.stderr()).toMatch(/--port must be a whole number from 0 to 65535, got "http"/);
  });
});

describe("examples/local-model/validate.mjs", () => {
  it("passes the format of every published version, the broken one included", async () => {
    for (const version of ["1", "2", "3"]) {
      const script = startScript("validate.mjs", ["--model-dir", MODEL_DIR, "--version", version]);
      expect((await script.exited).code, script.stderr()).toBe(0);
      expect(script.stdout()).toMatch(`version ${version}: ok`);
    }
  });

  it("exits 1 for a missing artifact", async () => {
    const script = startScript("validate.mjs", ["--model-dir", MODEL_DIR, "--version", "9"]);
    expect((await script.exited).code).toBe(1);
    expect(script.stderr()).toMatch(/cannot read .*iris\/9\/model\.json/);
  });
});

describe("examples/local-model/validate.mjs on a malformed artifact", () => {
  it("exits 1 listing every problem", async () => {
    const dir = await mkdtemp(join(tmpdir(), "deployslo-validate-"));
    try {
      await mkdir(join(dir, "iris", "5"), { recursive: true });
      await writeFile(
        join(dir, "iris", "5", "model.json"),
        JSON.stringify({
          format: FORMAT,
          name: "iris",
          version: "4",
          features: [],
          weights: [[1, "2"]],
        }),
      );
      const script = startScript("validate.mjs", [
        "--model-dir",
        join(dir, "iris"),
        "--version",
        "5",
      ]);
      expect((await script.exited).code).toBe(1);
      expect(script.stderr()).toMatch(/is not a valid .* artifact:\n/);
      for (const problem of [
        'version is "4" but the artifact is published as version "5"',
        "features must be a non-empty array of strings",
        "classes must be a non-empty array of strings",
        "standardize must be an object with mean and std",
        "weights must be a non-empty array of arrays of numbers",
        "bias must be an array of numbers",
      ]) {
        expect(script.stderr()).toContain(`  - ${problem}`);
      }
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
