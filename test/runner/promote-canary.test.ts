import { spawn } from "node:child_process";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { evaluateSlo } from "../../src/core/evaluation/evaluate-slo.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { SloEngine } from "../../src/services/slo-engine.js";
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

// End to end: the built CLI promotes versions of the iris model on the local target with the
// canary pipeline (traffic 10/50/100% through the switch, each step judged from probes), asks
// the deployment gate first, and rolls back at the SLO's threshold when the pipeline says so.

interface StageSummary {
  name: string;
  status: string;
  startedAt: string | null;
  endedAt: string | null;
  error: string | null;
  attributes: Record<string, unknown>;
}

interface Promotion {
  readonly code: number | null;
  readonly stderr: string;
  readonly summary: {
    attemptId: string;
    outcome: string;
    startedAt: string;
    servingAt: string | null;
    endedAt: string;
    rollback: string;
    durationMs: number;
    slo: { name: string; met: boolean } | null;
    gate: { decision: string | null; reasons: string[]; where: string | null } | null;
    stages: StageSummary[];
  };
}

const SLOS = `apiVersion: deployslo/v1
kind: SLO
metadata:
  name: iris-e2e
spec:
  selector: { model: iris, environment: e2e }
  objective: { threshold: THRESHOLD, target: 90% }
  window: 30d
`;

const target = localTargetPerTest("deployslo-canary-e2e-");

function promote(version: string, options: PromoteOptions = {}): Promise<Promotion> {
  return promoteOnTarget<Promotion["summary"]>(target, version, {
    pipeline: `${EXAMPLE_DIR}canary-pipeline.yaml`,
    ...options,
  });
}

async function sloFile(threshold: string): Promise<string> {
  const file = join(target.dir, "slos.yaml");
  await writeFile(file, SLOS.replace("THRESHOLD", threshold));
  return file;
}

async function routes(): Promise<{ upstream: string; weight: number }[]> {
  const reply = await call(`${target.adminUrl}/admin/route`);
  return (reply.json as { routes: { upstream: string; weight: number }[] }).routes;
}

async function servedVersions(n: number): Promise<Set<unknown>> {
  const seen = new Set<unknown>();
  for (let i = 0; i < n; i++) {
    const reply = await call(
      `${target.switchUrl}/v2/models/iris/infer`,
      "POST",
      inferRequest([[5, 3, 1.5, 0.2]]),
    );
    seen.add((reply.json as { model_version?: unknown }).model_version);
  }
  return seen;
}

/** The SLO's status over the embedded store, as the service would compute it. */
async function sloStatus(sloYaml: string, at: number) {
  const parsed = parseSloSpecs(await readFile(sloYaml, "utf8"), sloYaml);
  const store = await openStore(join(target.dir, "store.db"));
  try {
    const engine = new SloEngine(store, parsed.slos);
    await engine.refresh();
    return await engine.read((slos, tables) => {
      const slo = slos[0];
      if (slo === undefined) throw new Error(`${sloYaml} holds no SLO`);
      return evaluateSlo(slo, tables, at);
    });
  } finally {
    await store.close();
  }
}

async function recorded(id: string) {
  const store = await openStore(join(target.dir, "store.db"));
  try {
    const attempt = await store.getAttempt(id);
    if (attempt === undefined) throw new Error(`attempt ${id} is not in the store`);
    return { attempt, audit: await store.listAudit({ limit: 100 }) };
  } finally {
    await store.close();
  }
}

const stage = (p: Promotion, name: string) => p.summary.stages.find((s) => s.name === name);

describe("promote with a canary on the local target", { timeout: 90_000 }, () => {
  it("promotes a good version through 10%, 50% and 100%, judging every step", async () => {
    const p = await promote("2", { args: ["--no-gate"] });
    expect(p.code, p.stderr).toBe(0);
    expect(p.summary.outcome).toBe("succeeded");
    const canary = stage(p, "canary");
    expect(canary?.status).toBe("succeeded");
    expect(canary?.attributes).toMatchObject({
      "canary.steps": 3,
      "canary.step1.weight": 10,
      "canary.step1.verdict": "passed",
      "canary.step2.weight": 50,
      "canary.step3.weight": 100,
      "canary.step3.verdict": "passed",
      "canary.step3.requests": 20,
      "canary.baseline": target.current.url,
    });
    expect(canary?.attributes["canary.step1.baselineP95Ms"]).toEqual(expect.any(Number));
    // The new version served production traffic at the first step: that is servingAt, before
    // the canary ended and before the final probe through the switch confirmed it.
    const servingAt = Date.parse(p.summary.servingAt ?? "");
    expect(servingAt).toBeGreaterThan(Date.parse(canary?.startedAt ?? ""));
    expect(servingAt).toBeLessThan(Date.parse(canary?.endedAt ?? ""));
    expect(stage(p, "first-inference")?.status).toBe("succeeded");
    expect(await routes()).toEqual([
      { upstream: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/), weight: 100 },
    ]);
    expect(await servedVersions(5)).toEqual(new Set(["2"]));
    const { attempt } = await recorded(p.summary.attemptId);
    expect(attempt.servingAt).toBe(servingAt);
    expect(
      attempt.stages.find((s) => s.name === "canary")?.attributes["canary.step2.verdict"],
    ).toBe("passed");
  });

  it("rolls back a slow version at its first step: traffic returns to version 1 and budget burns", async () => {
    const slos = await sloFile("30s");
    const p = await promote("2", {
      env: { INFER_DELAY_MS: "1500" },
      args: ["--config", slos],
    });
    expect(p.code, p.stderr).toBe(1);
    expect(p.summary.outcome).toBe("rolled_back");
    const canary = stage(p, "canary");
    expect(canary?.status).toBe("failed");
    expect(canary?.error).toMatch(
      /^step 1 \(10% of traffic\): p95 latency \d+ ms is above the maximum of 1000 ms; .*traffic moved back to http:\/\/127\.0\.0\.1:\d+/,
    );
    expect(canary?.attributes).toMatchObject({
      "canary.step1.verdict": "failed",
      "canary.trafficRestored": true,
      "canary.weight": 0,
    });
    expect(canary?.attributes["canary.step2.weight"]).toBeUndefined();
    // It served (slowly) at 10% before it was rolled back: still a miss, timed to its end.
    expect(p.summary.servingAt).not.toBeNull();
    expect(p.summary.slo).toMatchObject({ name: "iris-e2e", met: false });
    expect(p.summary.durationMs).toBe(
      Date.parse(p.summary.endedAt) - Date.parse(p.summary.startedAt),
    );
    expect(stage(p, "shift-back")?.status).toBe("succeeded");
    expect(stage(p, "stop-new-server")?.status).toBe("succeeded");
    expect(await routes()).toEqual([{ upstream: target.current.url, weight: 100 }]);
    expect(await servedVersions(5)).toEqual(new Set(["1"]));
    const { attempt } = await recorded(p.summary.attemptId);
    expect(attempt.outcome).toBe("rolled_back");
    const status = await sloStatus(slos, Date.parse(p.summary.endedAt) + 1000);
    expect(status).toMatchObject({ eligible: 1, good: 0, bad: 1 });
  });

  it("rolls back a version that fails one request in two", async () => {
    const p = await promote("2", { env: { FAIL_EVERY: "2" }, args: ["--no-gate"] });
    expect(p.summary.outcome).toBe("rolled_back");
    expect(stage(p, "canary")?.error).toMatch(
      /^step 1 \(10% of traffic\): error rate [\d.]+% \(2 of [2-4]\) is above 5%; last: status 500/,
    );
    expect(await routes()).toEqual([{ upstream: target.current.url, weight: 100 }]);
  });

  it("asks the gate first: a frozen SLO stops the promotion before any stage, a hotfix passes", async () => {
    const slos = await sloFile("30s");
    const bad = await promote("2", { env: { FAIL_EVERY: "1" }, args: ["--config", slos] });
    expect(bad.summary.gate?.decision).toBe("allow");
    expect(bad.summary.outcome).toBe("rolled_back");

    const denied = await promote("2", { args: ["--config", slos] });
    expect(denied.code).toBe(3);
    expect(denied.summary.outcome).toBe("cancelled");
    expect(denied.summary.gate).toMatchObject({ decision: "deny", where: "the embedded store" });
    expect(stage(denied, "gate")?.status).toBe("failed");
    expect(denied.summary.stages.filter((s) => s.name !== "gate").map((s) => s.status)).toEqual(
      denied.summary.stages.filter((s) => s.name !== "gate").map(() => "skipped"),
    );
    expect(await routes()).toEqual([{ upstream: target.current.url, weight: 100 }]);
    // A promotion the gate stopped changed nothing: it is excluded, the budget is unchanged.
    const status = await sloStatus(slos, Date.parse(denied.summary.endedAt) + 1000);
    expect(status).toMatchObject({ eligible: 1, bad: 1 });

    const hotfix = await promote("2", { args: ["--config", slos, "--change", "hotfix"] });
    expect(hotfix.code, hotfix.stderr).toBe(0);
    expect(hotfix.summary.gate?.decision).toBe("allow");
    expect(hotfix.summary.outcome).toBe("succeeded");
    const { audit } = await recorded(hotfix.summary.attemptId);
    expect(audit.map((e) => e.decision)).toEqual(expect.arrayContaining(["allow", "deny"]));
  });

  it("rolls back at the SLO's threshold with onThresholdExceeded: rollback", async () => {
    const slos = await sloFile("2s");
    const pipeline = join(target.dir, "pipeline.yaml");
    const text = await readFile(`${EXAMPLE_DIR}pipeline.yaml`, "utf8");
    await writeFile(
      pipeline,
      text.replace("spec:\n  timeout: 2m", "spec:\n  timeout: 2m\n  onThresholdExceeded: rollback"),
    );
    const p = await promote("2", {
      pipeline,
      env: { LOAD_DELAY_MS: "6000" },
      args: ["--config", slos, "--no-gate"],
    });
    expect(p.summary.outcome).toBe("rolled_back");
    // Whichever stage was running when the 2 s passed was stopped, well before the server
    // (loading for 6 s) could have served.
    const stopped = p.summary.stages.filter((s) => s.status === "timed_out");
    expect(stopped).toHaveLength(1);
    expect(stopped[0]?.error).toMatch(/the SLO's threshold \(2000 ms\) passed before serving/);
    const at = Date.parse(stopped[0]?.endedAt ?? "") - Date.parse(p.summary.startedAt);
    expect(at).toBeGreaterThanOrEqual(2000);
    expect(at).toBeLessThan(5000);
    expect(stage(p, "stop-new-server")?.status).toBe("succeeded");
    expect(await servedVersions(3)).toEqual(new Set(["1"]));
  });
});
