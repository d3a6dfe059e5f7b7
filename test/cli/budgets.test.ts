import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StageBudgetsSchema } from "../../src/contract/stage-budgets-schema.js";
import { runCliCaptured } from "../support/capture-io.js";

const SLOS = `apiVersion: deployslo/v1
kind: SLO
metadata: {name: scan}
spec:
  selector: {environment: staging}
  objective: {threshold: 3m, target: 90%}
  window: 7d
  stageBudgets:
    security-scan: 90s
    validate: 45s
    deploy: 2m
---
apiVersion: deployslo/v1
kind: SLO
metadata: {name: plain}
spec:
  objective: {threshold: 3m, target: 90%}
`;

const PIPELINE = `apiVersion: deployslo/v1
kind: Pipeline
metadata: {name: rollout}
spec:
  stages:
    - {name: validate, run: "true"}
    - {name: security-scan, needs: validate, run: "true"}
    - {name: deploy, needs: validate, run: "true"}
  serving: {protocol: http, url: http://127.0.0.1:9000/v, field: version}
`;

const DAY0 = Date.parse("2026-10-20T00:00:00Z");
const iso = (ms: number) => new Date(ms).toISOString();

/**
 * Forty staging attempts, one an hour: validate 30 s, security-scan 60 s (150 s in every
 * attempt whose index ends in 0, 1 or 2: 30% of them), deploy 60 s, one after another.
 */
function records(): string {
  const lines: string[] = [];
  for (let i = 0; i < 40; i++) {
    const start = DAY0 + i * 3_600_000;
    let at = start;
    const stages = (
      [
        ["validate", 30_000],
        ["security-scan", i % 10 < 3 ? 150_000 : 60_000],
        ["deploy", 60_000],
      ] as const
    ).map(([name, ms]) => {
      const stage = { name, startedAt: iso(at), endedAt: iso(at + ms) };
      at += ms;
      return stage;
    });
    lines.push(
      JSON.stringify({
        id: `a${i}`,
        model: "m",
        version: String(i),
        environment: "staging",
        startedAt: iso(start),
        servingAt: iso(at),
        endedAt: iso(at + 1000),
        outcome: "succeeded",
        stages,
      }),
    );
  }
  return `${lines.join("\n")}\n`;
}

let dir: string;
const file = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-budgets-"));
  await writeFile(file("slos.yaml"), SLOS);
  await writeFile(file("pipeline.yaml"), PIPELINE);
  await writeFile(file("attempts.ndjson"), records());
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const NOW = Date.parse("2026-10-23T00:00:00Z");

describe("deployslo budgets", () => {
  const base = () => ["budgets", "-c", file("slos.yaml"), "-d", file("attempts.ndjson")];

  it("reports the stage made to overrun in 30% of the attempts, in exactly the bad ones", async () => {
    const run = await runCliCaptured([...base(), "--slo", "scan", "--format", "json"], {
      now: NOW,
    });
    expect(run.exitCode, run.stderr).toBe(0);
    const r = StageBudgetsSchema.parse(JSON.parse(run.stdout));
    // The 7-day window as of now holds all forty; the slow scans make 240 s > 3 m.
    expect(r.from).toBe("2026-10-16T00:00:00.000Z");
    expect(r.eligible).toBe(40);
    expect(r.breaching).toBe(12);
    expect(r.stages[0]).toMatchObject({
      stage: "security-scan",
      attempts: 40,
      overran: 12,
      overrunRate: 0.3,
      overrunSeconds: 12 * 60,
      breachingWithOverrun: 12,
      breachingShare: 1,
    });
    expect(r.stages.slice(1).map((s) => s.overran)).toEqual([0, 0]);
    const table = await runCliCaptured([...base(), "--slo", "scan"], { now: NOW });
    expect(table.stdout).toContain("The budgets add up to 4m15s against a 3m threshold.");
    expect(table.stdout).toMatch(/security-scan\s+1m30s\s+40\s+12\s+30\.0%/);
  });

  it("needs an SLO with budgets", async () => {
    const none = await runCliCaptured(base(), { now: NOW });
    expect(none.exitCode).toBe(2);
    expect(none.stderr).toContain("budgets needs --slo NAME");
    const plain = await runCliCaptured([...base(), "--slo", "plain"], { now: NOW });
    expect(plain.exitCode).toBe(2);
    expect(plain.stderr).toContain('SLO "plain" has no spec.stageBudgets');
  });
});

describe("deployslo validate with stage budgets", () => {
  it("warns, and still exits 0, when the budgets on the critical path exceed the threshold", async () => {
    const alone = await runCliCaptured(["validate", file("slos.yaml")]);
    expect(alone.exitCode, alone.stderr).toBe(0);
    expect(alone.stdout).toContain(
      `${file("slos.yaml")}:8:3: warning: spec.stageBudgets: the budgets add up to 4m15s (security-scan 1m30s + validate 45s + deploy 2m), more than the threshold of 3m`,
    );
    expect(alone.stdout).toContain("valid: 2 SLOs, 0 errors, 1 warning");
    // With the pipeline, security-scan and deploy run side by side: validate + deploy, 2m45s.
    const both = await runCliCaptured(["validate", file("slos.yaml"), file("pipeline.yaml")]);
    expect(both.exitCode, both.stderr).toBe(0);
    expect(both.stdout).toContain("valid: 2 SLOs, 1 pipeline, 0 errors, 0 warnings");
  });
});
