import { describe, expect, it } from "vitest";
import { generateHistory } from "../../sample/generate-history.js";
import type { Attempt } from "../attempt/attempt.js";
import { parseAttemptRecord } from "../attempt/parse-attempt-record.js";
import {
  breachProbability,
  MAX_SIMILAR,
  MIN_SIMILAR,
  preflightEstimate,
  similarAttempts,
} from "./preflight-estimate.js";

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 8, 1);

function attempt(i: number, fields: Partial<Attempt> = {}): Attempt {
  const startedAt = T0 + i * 60_000;
  return {
    id: `a${i}`,
    model: "iris",
    version: String(i),
    environment: "prod",
    labels: {},
    startedAt,
    servingAt: startedAt + 10_000,
    endedAt: startedAt + 10_000,
    outcome: "succeeded",
    stages: [],
    dependencies: [],
    attributes: {},
    ...fields,
  };
}

const request = { model: "iris", environment: "prod", labels: {} };
const newestFirst = (list: Attempt[]) => [...list].sort((a, b) => b.startedAt - a.startedAt);

describe("similarAttempts", () => {
  it("counts only outcomes known at the instant, and never cancelled or running ones", () => {
    const history = newestFirst([
      attempt(0),
      attempt(1, { outcome: "cancelled", servingAt: null }),
      attempt(2, { outcome: "in_progress", servingAt: null, endedAt: null }),
      // Started before `at` but served after it: unknown then.
      attempt(3, { servingAt: T0 + 3 * 60_000 + 600_000, endedAt: T0 + 3 * 60_000 + 600_000 }),
    ]);
    const at = T0 + 4 * 60_000;
    expect(similarAttempts(history, request, at).attempts.map((a) => a.id)).toEqual(["a0"]);
  });

  it("widens from model and labels to model to environment until it has enough", () => {
    const gpu = Array.from({ length: MIN_SIMILAR }, (_, i) =>
      attempt(i, { labels: { accelerator: "gpu" } }),
    );
    const cpu = Array.from({ length: 3 }, (_, i) =>
      attempt(100 + i, { labels: { accelerator: "cpu" } }),
    );
    const other = Array.from({ length: 30 }, (_, i) => attempt(200 + i, { model: "bert" }));
    const history = newestFirst([...gpu, ...cpu, ...other]);
    const at = T0 + DAY;
    expect(
      similarAttempts(history, { ...request, labels: { accelerator: "gpu" } }, at).similarity,
    ).toBe("model_and_labels");
    const cpuSimilar = similarAttempts(history, { ...request, labels: { accelerator: "cpu" } }, at);
    expect(cpuSimilar.similarity).toBe("model");
    expect(cpuSimilar.attempts).toHaveLength(MIN_SIMILAR + 3);
    const newModel = similarAttempts(history, { ...request, model: "resnet" }, at);
    expect(newModel.similarity).toBe("environment");
    expect(newModel.attempts).toHaveLength(MIN_SIMILAR + 3 + 30);
  });

  it("uses the most recent attempts only", () => {
    const history = newestFirst(Array.from({ length: MAX_SIMILAR + 50 }, (_, i) => attempt(i)));
    const { attempts } = similarAttempts(history, request, T0 + 30 * DAY);
    expect(attempts).toHaveLength(MAX_SIMILAR);
    expect(attempts[0]?.id).toBe(`a${MAX_SIMILAR + 49}`);
  });
});

describe("preflightEstimate and breachProbability", () => {
  it("gives p50 and p90 of the served durations and a smoothed breach chance", () => {
    // 20 attempts: 1..18 s served, one failed, one served in 60 s.
    const list = [
      ...Array.from({ length: 18 }, (_, i) =>
        attempt(i, { servingAt: T0 + i * 60_000 + (i + 1) * 1000 }),
      ),
      attempt(18, { outcome: "failed", servingAt: null }),
      attempt(19, { servingAt: T0 + 19 * 60_000 + 60_000 }),
    ];
    const history = newestFirst(list);
    const at = T0 + DAY;
    expect(preflightEstimate(history, request, at)).toEqual({
      similarity: "model",
      basis: "iris in prod",
      attempts: 20,
      served: 19,
      p50Seconds: 10,
      p90Seconds: 18,
    });
    // Breaches of 30 s: the failed one and the 60 s one: (2 + ½) / 21.
    expect(breachProbability(history, request, at, 30_000)).toBeCloseTo(2.5 / 21, 12);
    expect(breachProbability([], request, at, 30_000)).toBeNull();
  });

  it("is calibrated on held-out attempts: of promotions given p, about p breach", () => {
    const history: Attempt[] = [];
    for (const record of generateHistory({
      seed: 7,
      start: T0,
      days: 120,
      withStages: false,
      runtimeUpgrade: false,
    })) {
      const parsed = parseAttemptRecord(record);
      if (parsed.ok) history.push(parsed.attempt);
    }
    const sorted = newestFirst(history);
    // Thresholds per environment: the 85th percentile of what the first half served in.
    const half = T0 + 60 * DAY;
    const thresholds = new Map<string, number>();
    for (const env of new Set(history.map((a) => a.environment))) {
      const served = history
        .filter((a) => a.environment === env && a.startedAt < half && a.servingAt !== null)
        .map((a) => (a.servingAt ?? 0) - a.startedAt)
        .sort((x, y) => x - y);
      thresholds.set(env, served[Math.floor(served.length * 0.85)] ?? 60_000);
    }
    const buckets = Array.from({ length: 10 }, () => ({ n: 0, predicted: 0, breached: 0 }));
    for (const held of history.filter((a) => a.startedAt >= half && a.outcome !== "cancelled")) {
      if (held.outcome === "in_progress") continue;
      const threshold = thresholds.get(held.environment) ?? 60_000;
      const before = sorted.filter((a) => a.startedAt < held.startedAt);
      const p = breachProbability(before, held, held.startedAt, threshold);
      if (p === null) continue;
      const breached =
        held.outcome !== "succeeded" ||
        held.servingAt === null ||
        held.servingAt - held.startedAt > threshold;
      const bucket = buckets[Math.min(9, Math.floor(p * 10))];
      if (bucket === undefined) continue;
      bucket.n++;
      bucket.predicted += p;
      bucket.breached += breached ? 1 : 0;
    }
    const total = buckets.reduce((s, b) => s + b.n, 0);
    expect(total).toBeGreaterThan(1000);
    // Expected calibration error: the gap between predicted and observed, weighted by count.
    let ece = 0;
    for (const b of buckets) {
      if (b.n === 0) continue;
      const gap = Math.abs(b.predicted / b.n - b.breached / b.n);
      ece += (b.n / total) * gap;
      if (b.n >= 150) expect(gap, `bucket of ${b.n} at ${b.predicted / b.n}`).toBeLessThan(0.08);
    }
    expect(ece).toBeLessThan(0.05);
  });
});
