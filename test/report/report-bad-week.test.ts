import { describe, expect, it } from "vitest";
import { type SloReportJson, SloReportSchema } from "../../src/contract/slo-report-schema.js";
import { runCliCaptured } from "../support/capture-io.js";
import { BAD_FROM, BAD_TO, HOUR, writeBadWeek } from "./bad-week-history.js";

/** After the month: the report counts all of it. */
const AFTER = Date.parse("2026-12-01T00:00:00Z");

async function report(argv: readonly string[]): Promise<SloReportJson> {
  const run = await runCliCaptured([...argv, "--format", "json"], { now: AFTER });
  expect(run.exitCode, run.stderr).toBe(0);
  return SloReportSchema.parse(JSON.parse(run.stdout));
}

describe("deployslo report on a month with one bad week", () => {
  const [deployments, config] = writeBadWeek();
  const base = ["report", "-d", deployments, "-c", config, "--period", "2026-10"];

  it("counts the month, the SLO's own window at its end, and each day", async () => {
    const r = await report(base);
    expect(r.from).toBe("2026-10-01T00:00:00.000Z");
    expect(r.to).toBe("2026-11-01T00:00:00.000Z");
    const [prod] = r.slos;
    // 744 hourly attempts in October, the 168 of Oct 12–18 bad.
    expect(prod?.period).toMatchObject({ eligible: 744, good: 576, bad: 168, met: false });
    expect(prod?.period.compliance).toBe(576 / 744);
    // 1% of 744 = 7.44 attempts of budget, 168 spent.
    expect(prod?.period.errorBudget.total).toBeCloseTo(7.44, 10);
    expect(prod?.period.errorBudget.consumed).toBe(168);
    expect(prod?.period.errorBudget.remaining).toBeCloseTo(7.44 - 168, 10);
    // 30 days back from Oct 31's last millisecond: Oct 2–31, 720 attempts, the bad week inside.
    expect(prod?.atPeriodEnd).toMatchObject({ eligible: 720, good: 552, bad: 168 });
    const days = prod?.days ?? [];
    expect(days).toHaveLength(31);
    expect(days[0]).toMatchObject({
      date: "2026-10-01",
      good: 24,
      bad: 0,
      compliance: 1,
      p95: 240,
    });
    expect(days[11]).toMatchObject({ date: "2026-10-12", good: 0, bad: 24, compliance: 0 });
    // Untouched until the bad week, overspent from its first day.
    expect(days[10]?.budgetRemainingRatio).toBe(1);
    expect(days[11]?.budgetRemainingRatio).toBeLessThan(0);
    expect(days[17]?.complianceToDate).toBe((11 * 24) / (18 * 24));
  });

  it("finds the burn: one incident opened at the week's third bad verdict, closed after it", async () => {
    const [prod] = (await report(base)).slos;
    expect(prod?.incidents).toHaveLength(1);
    const incident = prod?.incidents[0];
    const from = Date.parse(incident?.from ?? "");
    const to = Date.parse(incident?.to ?? "");
    // Bad verdicts come at 00:10, 01:10, 02:10; the default low-volume guard waits for 3.
    expect(from).toBe(BAD_FROM + 2 * HOUR + 10 * 60_000);
    expect(to).toBeGreaterThan(BAD_TO - HOUR);
    expect(to).toBeLessThan(BAD_TO + 24 * HOUR);
    expect(prod?.alerts.some((a) => a.severity === "page" && a.alert === "fast-burn")).toBe(true);
  });

  it("explains the slowest attempts by the stage that made them slow", async () => {
    const [prod] = (await report([...base, "--slowest", "3"])).slos;
    const slowest = prod?.attempts?.slowest ?? [];
    // The bad week's last hours: 1,320 + 167, 166, 165 seconds.
    expect(slowest.map((s) => s.startedAt)).toEqual([
      "2026-10-18T23:00:00.000Z",
      "2026-10-18T22:00:00.000Z",
      "2026-10-18T21:00:00.000Z",
    ]);
    expect(slowest.map((s) => s.durationSeconds)).toEqual([1487, 1486, 1485]);
    expect(slowest[0]?.cause).toEqual({
      stage: "stage-artifacts",
      seconds: 1367,
      typicalSeconds: 120,
    });
    expect(prod?.attempts?.blamed?.stage).toBe("stage-artifacts");
  });

  it("recommends the threshold that would have met the target", async () => {
    const [prod] = (await report(base)).slos;
    // 99% of 744 allows 7 bad: the threshold must cover k ≤ 160, that is 1,320 + 160 s.
    expect(prod?.attempts?.threshold.recommendedSeconds).toBe(1480);
    const kinds = prod?.recommendations.map((r) => r.kind);
    expect(kinds).toContain("threshold");
    expect(kinds).toContain("stage");
    expect(prod?.recommendations[0]?.message).toContain("24m40s");
  });

  it("reports a month still running as of now, and refuses one not begun", async () => {
    const now = Date.parse("2026-10-15T12:00:00Z");
    const run = await runCliCaptured([...base, "--format", "json"], { now });
    expect(run.exitCode, run.stderr).toBe(0);
    const r = SloReportSchema.parse(JSON.parse(run.stdout));
    expect(r.asOf).toBe("2026-10-15T12:00:00.000Z");
    const [prod] = r.slos;
    // Oct 1–11 good (264), Oct 12 to 15 12:00 bad: 3 × 24 + 12 started by 11:00, known by 12:00.
    expect(prod?.period).toMatchObject({ good: 264, bad: 84 });
    expect(prod?.days).toHaveLength(15);
    const later = await runCliCaptured(
      ["report", "-d", deployments, "-c", config, "--period", "2026-11"],
      {
        now,
      },
    );
    expect(later.exitCode).toBe(2);
    expect(later.stderr).toContain("--period 2026-11 has not begun yet");
  });

  it("reports a month with no attempts as met and empty", async () => {
    const [prod] = (
      await report(["report", "-d", deployments, "-c", config, "--period", "2026-08"])
    ).slos;
    expect(prod?.period).toMatchObject({ eligible: 0, met: true, compliance: null });
    expect(prod?.incidents).toEqual([]);
    expect(prod?.attempts?.slowest).toEqual([]);
  });
});
