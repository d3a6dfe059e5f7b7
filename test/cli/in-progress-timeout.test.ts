import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { openStore } from "../../src/store/open-store.js";
import { runCliCaptured } from "../support/capture-io.js";

const SLOS = `apiVersion: deployslo/v1
kind: SLO
metadata: { name: ci-deploys }
spec:
  selector: { environment: production }
  objective: { threshold: 1h, target: 90% }
  window: 30d
---
apiVersion: deployslo/v1
kind: SLO
metadata: { name: ci-excess }
spec:
  selector: { environment: production }
  objective: { threshold: 1h, target: 90% }
  budgeting: excess-time
  window: 30d
`;

const record = (id: string, startedAt: string, servingAt?: string) =>
  JSON.stringify({
    id,
    model: "fraud-detector",
    version: id,
    environment: "production",
    startedAt,
    ...(servingAt === undefined ? {} : { servingAt }),
  });

interface Status {
  name: string;
  eligible: number;
  bad: number;
  inProgress: number;
  errorBudget: { consumed: number; remainingRatio: number };
}

describe("an attempt whose pipeline died between attempt start and attempt finish", () => {
  const dir = mkdtempSync(join(tmpdir(), "deployslo-timeout-"));
  const config = join(dir, "slos.yaml");
  writeFileSync(config, SLOS);
  const history = join(dir, "history.ndjson");
  writeFileSync(
    history,
    [
      record("ok", "2026-10-01T10:00:00Z", "2026-10-01T10:20:00Z"),
      // Started 13 days before --at and never ended.
      record("dead", "2026-10-01T12:00:00Z"),
      // Started 6 hours before --at: past its threshold and half its 10 h timeout.
      record("slow", "2026-10-14T03:30:00Z"),
    ].join("\n"),
  );
  const evaluate = (format: string) =>
    runCliCaptured([
      "evaluate",
      "-c",
      config,
      "-d",
      history,
      "--at",
      "2026-10-14T09:30:00Z",
      "-f",
      format,
    ]);

  it("is counted as timed_out at startedAt + its in-progress timeout, and evaluate says so", async () => {
    const run = await evaluate("json");
    expect(run.exitCode).toBe(0);
    const slos = (JSON.parse(run.stdout) as { slos: Status[] }).slos;
    const deploys = slos.find((s) => s.name === "ci-deploys");
    const excess = slos.find((s) => s.name === "ci-excess");
    // ok is good, dead is bad (timed out), slow is still in progress (and bad: past 1 h).
    expect(deploys).toMatchObject({ eligible: 3, bad: 2, inProgress: 1 });
    // dead burns its 10 h (from start, as a failure), not the 13 days since it started.
    expect(excess?.errorBudget.consumed).toBe(10 * 3600 + 5 * 3600);
    expect(run.stderr).toContain(
      "deployslo: warning: attempt dead (fraud-detector dead → production) is counted as timed_out at 2026-10-01T22:00:00.000Z: no end was recorded within 10h (the in-progress timeout of SLO ci-deploys); ended by deployslo\n",
    );
    expect(run.stderr).toContain(
      "deployslo: warning: attempt slow (fraud-detector slow → production) has been in progress for 6h, past its 1h threshold, with no end recorded: did its pipeline stop? Unless it ends, it is counted as timed_out from 2026-10-14T13:30:00.000Z\n",
    );
  });

  it("the table's footer counts the attempts timed out at evaluation", async () => {
    const run = await evaluate("table");
    expect(run.stdout).toContain("1 past their in-progress timeout counted as timed_out");
  });

  it("spec.inProgressTimeout sets the timeout; a later record of the attempt wins", async () => {
    const custom = join(dir, "custom.yaml");
    writeFileSync(
      custom,
      SLOS.replaceAll("window: 30d\n", "window: 30d\n  inProgressTimeout: 2h\n"),
    );
    const ended = join(dir, "ended.ndjson");
    writeFileSync(
      ended,
      [
        record("dead", "2026-10-01T12:00:00Z"),
        record("dead", "2026-10-01T12:00:00Z", "2026-10-01T12:30:00Z"),
      ].join("\n"),
    );
    const run = await runCliCaptured([
      "evaluate",
      "-c",
      custom,
      "-d",
      history,
      "-d",
      ended,
      "--at",
      "2026-10-14T09:30:00Z",
      "-f",
      "json",
    ]);
    const slos = (JSON.parse(run.stdout) as { slos: Status[] }).slos;
    expect(slos.find((s) => s.name === "ci-deploys")).toMatchObject({ eligible: 3, bad: 1 });
    expect(run.stderr).not.toContain("attempt dead");
    expect(run.stderr).toContain(
      "attempt slow (fraud-detector slow → production) is counted as timed_out at 2026-10-14T05:30:00.000Z: no end was recorded within 2h",
    );
  });
});

describe("attempt start --timeout", () => {
  it("gives the attempt its own in-progress timeout", async () => {
    const dir = mkdtempSync(join(tmpdir(), "deployslo-start-timeout-"));
    const database = join(dir, "d.db");
    const start = ["attempt", "start", "-m", "m", "-v", "1", "-e", "production"];
    const run = await runCliCaptured([...start, "--timeout", "90m", "--database", database]);
    expect(run.stderr).toBe("");
    expect(run.exitCode).toBe(0);
    const store = await openStore(database);
    try {
      const attempt = await store.getAttempt(run.stdout.trim());
      expect(attempt?.attributes.timeoutSeconds).toBe(5400);
    } finally {
      await store.close();
    }
    const bad = await runCliCaptured([...start, "--timeout", "soon", "--database", database]);
    expect(bad.exitCode).toBe(2);
    expect(bad.stderr).toContain('--timeout must be a duration such as 500ms or 2m, got "soon"');
  });
});
