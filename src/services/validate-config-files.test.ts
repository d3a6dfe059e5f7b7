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
