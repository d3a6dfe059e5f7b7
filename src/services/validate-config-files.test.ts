import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, expect, it } from "vitest";
import { validateConfigFiles } from "./validate-config-files.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-validate-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

it("reports notification targets' findings with the SLOs'", async () => {
  const file = join(dir, "config.yaml");
  await writeFile(
    file,
    `apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: ops}
spec: {type: webhook, url: "http://hooks.local/x", secret: hunter2}
---
apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: am}
spec: {type: alertmanager, url: "http://am:9093", secert: {env: S}}
`,
  );
  const result = await validateConfigFiles([file]);
  expect(result.errors).toContainEqual(
    expect.objectContaining({ line: 4, path: "spec.secret", file }),
  );
  expect(result.errors).toContainEqual(
    expect.objectContaining({
      line: 9,
      path: "spec.secert",
      message: expect.stringMatching(/did you mean "secret"/),
    }),
  );
});

it("reports an SLO notifying a target that no file defines", async () => {
  const file = join(dir, "config.yaml");
  await writeFile(
    file,
    `apiVersion: deployslo/v1
kind: NotificationTarget
metadata: {name: ops-hook}
spec: {type: webhook, url: "http://hooks.local/x"}
---
apiVersion: deployslo/v1
kind: SLO
metadata: {name: prod}
spec:
  objective: {threshold: 10m, target: 95%}
  alerting: {notify: [ops-hook, ops-hok]}
`,
  );
  const result = await validateConfigFiles([file]);
  expect(result.errors).toEqual([
    expect.objectContaining({
      line: 6,
      path: "spec.alerting.notify",
      message:
        'SLO "prod" notifies "ops-hok", which is not a NotificationTarget (did you mean "ops-hook"?)',
    }),
  ]);
});

it("checks a pipeline file as a pipeline, with did-you-mean hints", async () => {
  const file = join(dir, "pipeline.yaml");
  await writeFile(
    file,
    `apiVersion: deployslo/v1
kind: Pipeline
metadata: {name: deploy}
spec:
  serving: {protocol: http, url: "http://127.0.0.1:1/"}
  stages:
    - name: ship
      run: echo ship
      retry: 2
`,
  );
  const result = await validateConfigFiles([file]);
  expect(result.errors).toEqual([
    expect.objectContaining({
      file,
      line: 9,
      path: "spec.stages[0].retry",
      message: 'unknown field (did you mean "retries"?)',
    }),
  ]);
  expect(result.pipelineCount).toBe(0);
});

it("counts the example pipeline, SLOs and no errors", async () => {
  const result = await validateConfigFiles([
    "examples/local-model/pipeline.yaml",
    "examples/local-model/slos.yaml",
  ]);
  expect(result.errors).toEqual([]);
  expect(result.pipelineCount).toBe(1);
  expect(result.sloCount).toBeGreaterThan(0);
});
