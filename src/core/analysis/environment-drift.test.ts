import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, makeAttempt, makeStage } from "../../../test/support/make-attempt.js";
import { chance, lognormal, seededRandom } from "../../sample/seeded-random.js";
import type { Attempt, Attributes } from "../attempt/attempt.js";
import { environmentDrift } from "./environment-drift.js";

const START = Date.UTC(2026, 8, 1);
const OLD = { runtime: "triton", "runtime.version": "24.08", "image.digest": "sha256:aaa" };
const NEW = { runtime: "triton", "runtime.version": "24.09", "image.digest": "sha256:bbb" };

interface Plan {
  readonly seed: number;
  readonly days: number;
  readonly changeDay: number;
  readonly failureBefore: number;
  readonly failureAfter: number;
  /** Multiplies durations on the new fingerprint. */
  readonly slowdownAfter?: number;
}

/** Eight attempts a day of one model: the fingerprint switches on changeDay, the rest is drawn. */
function history(plan: Plan): Attempt[] {
  const rand = seededRandom(plan.seed);
  const attempts: Attempt[] = [];
  for (let i = 0; i < plan.days * 8; i += 1) {
    const startedAt = START + i * 3 * HOUR;
    const after = startedAt >= START + plan.changeDay * DAY;
    const failed = chance(rand, after ? plan.failureAfter : plan.failureBefore);
    const ms = Math.round(
      lognormal(rand, 2 * MINUTE, 0.4) * (after ? (plan.slowdownAfter ?? 1) : 1),
    );
    attempts.push(
      makeAttempt({
        id: `a${i}`,
        model: "image-tagger",
        environment: "staging",
        startedAt,
        servingAt: failed ? null : startedAt + ms,
        endedAt: startedAt + ms,
        outcome: failed ? "failed" : "succeeded",
        attributes: after ? NEW : OLD,
      }),
    );
  }
  return attempts;
}

const run = (attempts: Attempt[]) =>
  environmentDrift({ attempts, compare: 200, alpha: 0.05, maxListed: 50 });

describe("environmentDrift", () => {
  it("flags a runtime upgrade that doubles failures, at the attempt it happened", () => {
    for (const seed of [1, 2, 3]) {
      const result = run(
        history({ seed, days: 50, changeDay: 25, failureBefore: 0.15, failureAfter: 0.3 }),
      );
      expect(result.changes).toHaveLength(1);
      const [change] = result.changes;
      expect(change?.at).toBe(START + 25 * DAY);
      expect(change?.attemptId).toBe("a200");
      expect(change?.changed.map((c) => c.key)).toEqual(["runtime.version", "image.digest"]);
      expect(change?.before.attempts).toBe(200);
      expect(change?.after.attempts).toBe(200);
      expect(change?.failureRate.significant, `seed ${seed}`).toBe(true);
      expect(change?.coincides).toBe(true);
      expect(change?.after.failureRate ?? 0).toBeGreaterThan(change?.before.failureRate ?? 1);
    }
  });

  it("flags a change that slows the tail, on the p95", () => {
    const result = run(
      history({
        seed: 4,
        days: 40,
        changeDay: 20,
        failureBefore: 0.05,
        failureAfter: 0.05,
        slowdownAfter: 3,
      }),
    );
    const [change] = result.changes;
    expect(change?.p95.significant).toBe(true);
    expect(change?.failureRate.significant).toBe(false);
    expect(change?.after.durations.p95 ?? 0).toBeGreaterThan(
      (change?.before.durations.p95 ?? 0) * 2,
    );
  });

  it("does not flag a fingerprint change that changes nothing", () => {
    const flagged: number[] = [];
    for (let seed = 10; seed < 30; seed += 1) {
      const result = run(
        history({ seed, days: 40, changeDay: 20, failureBefore: 0.1, failureAfter: 0.1 }),
      );
      expect(result.changes).toHaveLength(1);
      if (result.changes[0]?.coincides) flagged.push(seed);
    }
    // Each of the two tests runs at 2.5%, so about one history in twenty is flagged by chance;
    // three or more would happen by chance less than 8% of the time.
    expect(flagged.length, String(flagged)).toBeLessThanOrEqual(2);
  });

  it("groups attempts by fingerprint with their failure rate and durations", () => {
    const attempts = history({
      seed: 5,
      days: 10,
      changeDay: 5,
      failureBefore: 0,
      failureAfter: 0.5,
    });
    attempts.push(makeAttempt({ id: "bare", startedAt: START, servingAt: START + MINUTE }));
    const result = run(attempts);
    expect(result.fingerprints.map((g) => g.text)).toEqual([
      "runtime=triton, runtime.version=24.08, image.digest=sha256:aaa",
      "runtime=triton, runtime.version=24.09, image.digest=sha256:bbb",
      "",
    ]);
    const [old, next, bare] = result.fingerprints;
    expect(old?.attempts).toBe(40);
    expect(old?.failureRate).toBe(0);
    expect(old?.durations.count).toBe(40);
    expect(next?.failures).toBe(attempts.filter((a) => a.outcome === "failed").length);
    expect(bare?.attempts).toBe(1);
    expect(bare?.durations.p50).toBe(60);
  });

  it("reads the fingerprint from stages when the attempt does not carry it", () => {
    const stage = (attributes: Attributes) =>
      makeStage({ name: "provision", startedAt: START, endedAt: START + 1, attributes });
    const attempts = [
      makeAttempt({ id: "s1", startedAt: START, stages: [stage({ hardware: "nvidia-t4" })] }),
      makeAttempt({
        id: "s2",
        startedAt: START + 1,
        stages: [stage({ hardware: "nvidia-t4" })],
        attributes: { hardware: "nvidia-l4" },
      }),
    ];
    const result = run(attempts);
    expect(result.fingerprints.map((g) => g.text)).toEqual([
      "hardware=nvidia-l4",
      "hardware=nvidia-t4",
    ]);
    expect(result.changes[0]?.changed).toEqual([
      { key: "hardware", from: "nvidia-t4", to: "nvidia-l4" },
    ]);
  });

  it("lists promotions served on another fingerprint than they were validated or trained on", () => {
    const validate = (attributes: Attributes) =>
      makeStage({ name: "validate", startedAt: START, endedAt: START + 1, attributes });
    const attempts = [
      makeAttempt({
        id: "same",
        startedAt: START,
        attributes: { "cuda.version": "12.4", "trained.cuda.version": "12.4" },
      }),
      makeAttempt({
        id: "differs",
        startedAt: START + 1,
        servingAt: START + 2,
        attributes: { "cuda.version": "12.1", hardware: "nvidia-a100" },
        stages: [validate({ "trained.cuda.version": "12.4", "validated.hardware": "nvidia-h100" })],
      }),
      makeAttempt({ id: "unknown", startedAt: START + 2, attributes: { "cuda.version": "12.1" } }),
    ];
    const { mismatches } = run(attempts);
    expect(mismatches.checked).toBe(2);
    expect(mismatches.mismatched.attempts).toBe(1);
    expect(mismatches.matching.attempts).toBe(1);
    expect(mismatches.attempts.map((a) => a.id)).toEqual(["differs"]);
    expect(mismatches.attempts[0]?.differences).toEqual([
      { key: "hardware", against: "validated", serving: "nvidia-a100", reference: "nvidia-h100" },
      { key: "cuda.version", against: "trained", serving: "12.1", reference: "12.4" },
    ]);
    expect(mismatches.differences.map((d) => [d.key, d.attempts])).toEqual([
      ["cuda.version", 1],
      ["hardware", 1],
    ]);
  });
});
