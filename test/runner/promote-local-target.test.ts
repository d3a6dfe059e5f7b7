import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import {
  call,
  EXAMPLE_DIR,
  inferRequest,
  type ModelServer,
  type Script,
  startModelServer,
  startScript,
  stopAllScripts,
} from "../local-model/local-target.js";
import { localTargetPerTest, type PromoteOptions, promoteOnTarget } from "./local-promotion.js";

// End to end: the built CLI promotes versions of the iris model on the local target (switch,
// OIP v2 servers) and the attempt is read back from the store it recorded to.

interface Promotion {
  readonly code: number | null;
  readonly stderr: string;
  readonly summary: {
    attemptId: string;
    outcome: string;
    startedAt: string;
    servingAt: string | null;
    endedAt: string;
    criticalPath: string[];
    stages: {
      name: string;
      status: string;
      startedAt: string | null;
      endedAt: string | null;
      attributes: Record<string, unknown>;
      log: { stage: string; file: string | null; lines: string[] }[];
    }[];
  };
}

const target = localTargetPerTest("deployslo-promote-e2e-");

function promote(version: string, options: PromoteOptions = {}): Promise<Promotion> {
  return promoteOnTarget<Promotion["summary"]>(target, version, options);
}

/** The attempt as recorded in the store, with the times as the summary printed them. */
async function recorded(id: string) {
  const store = await openStore(join(target.dir, "store.db"));
  try {
    const attempt = await store.getAttempt(id);
    if (attempt === undefined) throw new Error(`attempt ${id} is not in the store`);
    return attempt;
  } finally {
    await store.close();
  }
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

async function servedVersion(): Promise<unknown> {
  const reply = await call(
    `${target.switchUrl}/v2/models/iris/infer`,
    "POST",
    inferRequest([[7.0, 3.2, 4.7, 1.4]]),
  );
  return (reply.json as { model_version?: unknown }).model_version;
}

function expectTimesMatch(
  summary: Promotion["summary"],
  attempt: Awaited<ReturnType<typeof recorded>>,
) {
  expect(iso(attempt.startedAt)).toBe(summary.startedAt);
  expect(iso(attempt.servingAt)).toBe(summary.servingAt);
  expect(iso(attempt.endedAt)).toBe(summary.endedAt);
  for (const stage of summary.stages.filter((s) => s.startedAt !== null)) {
    const span = attempt.stages.find((s) => s.name === stage.name);
    expect(span, stage.name).toBeDefined();
    expect([iso(span?.startedAt ?? null), iso(span?.endedAt ?? null), span?.status]).toEqual([
      stage.startedAt,
      stage.endedAt,
      stage.status,
    ]);
  }
}

describe("deployslo promote on the local target", { timeout: 60_000 }, () => {
  it("promotes version 2: stages in parallel, traffic shifted, servingAt from the probe", async () => {
    const { code, summary, stderr } = await promote("2");
    expect(code, stderr).toBe(0);
    expect(summary.outcome).toBe("succeeded");
    expect(summary.stages.map((s) => [s.name, s.status])).toEqual(
      [
        ["checksum", "succeeded"],
        ["validate-format", "succeeded"],
        ["stage-artifact", "succeeded"],
        ["start-server", "succeeded"],
        ["wait-ready", "succeeded"],
        ["shift-traffic", "succeeded"],
        ["first-inference", "succeeded"],
        ["shift-back", "skipped"],
        ["stop-new-server", "skipped"],
      ].filter(([name]) => name !== "shift-back" && name !== "stop-new-server"),
    );
    const at = (name: string) => summary.stages.find((s) => s.name === name);
    const checksum = at("checksum");
    const validate = at("validate-format");
    // checksum and validate-format need nothing: both start before either ends.
    expect(Date.parse(checksum?.startedAt ?? "")).toBeLessThan(Date.parse(validate?.endedAt ?? ""));
    expect(Date.parse(validate?.startedAt ?? "")).toBeLessThan(Date.parse(checksum?.endedAt ?? ""));
    expect(Date.parse(at("stage-artifact")?.startedAt ?? "")).toBeGreaterThanOrEqual(
      Math.max(Date.parse(checksum?.endedAt ?? ""), Date.parse(validate?.endedAt ?? "")),
    );
    expect(summary.servingAt).toBe(at("first-inference")?.endedAt);
    expect(summary.criticalPath.slice(-4)).toEqual([
      "start-server",
      "wait-ready",
      "shift-traffic",
      "first-inference",
    ]);
    expect(await servedVersion()).toBe("2");
    const attempt = await recorded(summary.attemptId);
    expect(attempt).toMatchObject({
      outcome: "succeeded",
      model: "iris",
      version: "2",
      environment: "e2e",
    });
    expectTimesMatch(summary, attempt);
    expect(attempt.dependencies.map((d) => d.name)).toEqual(["inference_latency"]);
    expect(
      attempt.stages.find((s) => s.name === "stage-artifact")?.attributes.bytes,
    ).toBeGreaterThan(0);
  });

  it("rolls back the broken version 3: its server never gets ready, traffic stays on 1", async () => {
    const { code, summary } = await promote("3");
    expect(code).toBe(1);
    expect(summary.outcome).toBe("rolled_back");
    expect(summary.stages.map((s) => [s.name, s.status])).toEqual([
      ["checksum", "succeeded"],
      ["validate-format", "succeeded"],
      ["stage-artifact", "succeeded"],
      ["start-server", "succeeded"],
      ["wait-ready", "timed_out"],
      ["shift-traffic", "skipped"],
      ["shift-back", "succeeded"],
      ["stop-new-server", "succeeded"],
    ]);
    // The wait fails with a refused connection; the cause is in the log start-server named.
    const waitReady = summary.stages.find((s) => s.name === "wait-ready");
    expect(waitReady?.log.map((l) => l.stage)).toEqual(["start-server"]);
    expect(waitReady?.log[0]?.file).toMatch(/server-3-.*\.log$/);
    expect(waitReady?.log[0]?.lines.join("\n")).toMatch(/cannot load iris version 3/);
    expect(await servedVersion()).toBe("1");
    const attempt = await recorded(summary.attemptId);
    expect(attempt.outcome).toBe("rolled_back");
    expect(attempt.servingAt).toBeNull();
    expectTimesMatch(summary, attempt);
  });

  it("times out when the probe never sees the new version, and shifts traffic back", async () => {
    // The switch's admin URL points at nothing that moves traffic: shift-traffic "succeeds"
    // against a stand-in, so the probe keeps seeing version 1.
    const pipeline = join(target.dir, "pipeline.yaml");
    const text = await readFile(`${EXAMPLE_DIR}pipeline.yaml`, "utf8");
    await writeFile(
      pipeline,
      text
        .replace(
          /run: node demo\/route\.mjs --admin "\$SWITCH_ADMIN" --upstream "http:\/\/127\.0\.0\.1:\$STAGE_START_SERVER_PORT"/,
          'run: echo "previous=$SWITCH_ADMIN" >> "$DEPLOYSLO_OUTPUT"',
        )
        .replace("    timeout: 10s\n", "    timeout: 1500ms\n")
        .replace(/if \[ -n "\$STAGE_SHIFT_TRAFFIC_PREVIOUS" \]/, 'if [ -n "" ]'),
    );
    const { code, summary } = await promote("2", { pipeline });
    expect(code).toBe(1);
    expect(summary.outcome).toBe("timed_out");
    const probe = summary.stages.find((s) => s.name === "first-inference");
    expect(probe?.status).toBe("timed_out");
    expect(
      Date.parse(probe?.endedAt ?? "") - Date.parse(probe?.startedAt ?? ""),
    ).toBeGreaterThanOrEqual(1500);
    expect(
      summary.stages
        .filter((s) => s.name === "shift-back" || s.name === "stop-new-server")
        .map((s) => s.status),
    ).toEqual(["succeeded", "succeeded"]);
    const attempt = await recorded(summary.attemptId);
    expect(attempt.outcome).toBe("timed_out");
    expectTimesMatch(summary, attempt);
  });

  it("records a cancelled attempt on Ctrl-C and stops the running stage", async () => {
    const { code, summary, stderr } = await promote("2", {
      env: { LOAD_DELAY_MS: "60000" },
      interruptWhen: /wait-ready: started/,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/stopping: cancelling the running stages/);
    expect(summary.outcome).toBe("cancelled");
    const wait = summary.stages.find((s) => s.name === "wait-ready");
    expect(wait?.status).toBe("cancelled");
    expect(
      summary.stages
        .filter((s) => s.name === "shift-traffic" || s.name === "shift-back")
        .map((s) => s.status),
    ).toEqual(["skipped", "skipped"]);
    expect(await servedVersion()).toBe("1");
    const attempt = await recorded(summary.attemptId);
    expect(attempt.outcome).toBe("cancelled");
    expectTimesMatch(summary, attempt);
  });
});
