import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatTimestamp } from "../../src/core/primitives/timestamp.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { openStore } from "../../src/store/open-store.js";
import type { Store } from "../../src/store/store.js";
import { runCliCaptured } from "../support/capture-io.js";
import { testServer } from "../support/test-server.js";
import { ATTEMPTS, GATE_AT, SPECS, scenarioFiles } from "./gate-scenario.js";

let files: { config: string; deployments: string };
beforeAll(async () => {
  files = await scenarioFiles();
});

const offline = (...args: string[]) =>
  runCliCaptured(["gate", "--config", files.config, "--deployments", files.deployments, ...args], {
    now: GATE_AT,
  });

describe("deployslo gate", () => {
  it("exits 0 to allow, 3 to deny and 4 to wait for an approval", async () => {
    expect((await offline("-m", "open-model", "-e", "production")).exitCode).toBe(0);
    expect((await offline("-m", "frozen-model", "-e", "production")).exitCode).toBe(3);
    expect((await offline("-m", "tight-model", "-e", "production")).exitCode).toBe(4);
    expect(
      (await offline("-m", "frozen-model", "-e", "production", "--change", "rollback")).exitCode,
    ).toBe(0);
  });

  it("says why in one line per SLO and what would unblock it", async () => {
    const run = await offline("-m", "tight-model", "-e", "production", "--version", "9");
    expect(run.stdout).toBe(
      [
        `APPROVAL REQUIRED tight-model 9 → production (normal change), as of ${formatTimestamp(GATE_AT)}`,
        "  ✗ tight: approval required, 50% of its error budget left, under 60%",
        '      to unblock: an approver runs: deployslo approve --model tight-model --environment production --version 9 --reason "…"',
        "  estimate: p50 2m, p90 2m; 7% chance to miss tight's 5m (from 20 attempts of tight-model in production)",
        "",
      ].join("\n"),
    );
  });

  it("prints the documented JSON", async () => {
    const run = await offline("-m", "frozen-model", "-e", "production", "--format", "json");
    const json = JSON.parse(run.stdout);
    expect(Object.keys(json)).toEqual(["decision", "at", "reasons", "slos", "estimate"]);
    expect(json.decision).toBe("deny");
    expect(json.slos[0]).toMatchObject({ name: "frozen", decision: "deny", remainingRatio: -4 });
  });

  it("refuses a call without model, environment or inputs, and an unknown change type (exit 2)", async () => {
    expect((await runCliCaptured(["gate", "-e", "production"])).exitCode).toBe(2);
    const noInputs = await runCliCaptured(["gate", "-m", "m", "-e", "production"]);
    expect(noInputs.exitCode).toBe(2);
    expect(noInputs.stderr).toContain("--server URL, or --config FILE and --deployments FILE");
    expect((await offline("-m", "m", "-e", "e", "--change", "yolo")).exitCode).toBe(2);
    expect((await offline("-m", "m", "-e", "e", "--label", "team")).stderr).toContain(
      "--label takes KEY=VALUE",
    );
  });
});

describe("deployslo gate --server and deployslo approve", () => {
  let store: Store;
  let url: string;
  let close: () => Promise<void>;
  beforeAll(async () => {
    store = await openStore(":memory:");
    await store.upsertAttempts(ATTEMPTS);
    const { app } = await testServer(store, parseSloSpecs(SPECS, "slos.yaml").slos, {
      now: GATE_AT,
      tokens: [
        { name: "ci", token: "ci-token-0123456789", role: "ingest" },
        { name: "alice", token: "alice-token-0123456789", role: "approve" },
      ],
    });
    await app.listen({ host: "127.0.0.1", port: 0 });
    url = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    close = async () => {
      await app.close();
      await store.close();
    };
  });
  afterAll(async () => {
    await close();
  });

  it("asks the server, then an approver's approve turns 4 into 0", async () => {
    const ask = () =>
      runCliCaptured(
        ["gate", "--server", url, "-m", "tight-model", "-e", "production", "--version", "9"],
        {
          env: { DEPLOYSLO_TOKEN: "ci-token-0123456789" },
          now: GATE_AT,
        },
      );
    expect((await ask()).exitCode).toBe(4);
    const approve = await runCliCaptured(
      [
        "approve",
        "--server",
        url,
        "-m",
        "tight-model",
        "-e",
        "production",
        "--version",
        "9",
        "--reason",
        "fix verified",
        "--for",
        "1h",
      ],
      { env: { DEPLOYSLO_TOKEN: "alice-token-0123456789" }, now: GATE_AT },
    );
    expect(approve.stderr).toBe("");
    expect(approve.exitCode).toBe(0);
    expect(approve.stdout).toContain(
      `approved tight-model 9 → production until ${formatTimestamp(GATE_AT + 3_600_000)}`,
    );
    const after = await ask();
    expect(after.exitCode).toBe(0);
    expect(after.stdout).toContain("approved by alice (fix verified)");
  });

  it("names the role a token lacks", async () => {
    const run = await runCliCaptured(
      ["approve", "--server", url, "-m", "m", "-e", "e", "--reason", "r"],
      { env: { DEPLOYSLO_TOKEN: "ci-token-0123456789" } },
    );
    expect(run.exitCode).not.toBe(0);
    expect(run.stderr).toContain("needs approve");
  });
});
