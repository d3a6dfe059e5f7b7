import { describe, expect, it } from "vitest";
import { DAY, HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "../../../test/support/make-attempt.js";
import { defaultAlertPolicy } from "../spec/alert-policy.js";
import type { Slo } from "../spec/slo.js";
import { AttemptTables } from "./attempt-tables.js";
import { burnLookbacks } from "./burn-lookbacks.js";
import { evaluateSlo } from "./evaluate-slo.js";

const keys = (slo: Slo) => burnLookbacks(slo).map((l) => l.key);

describe("burnLookbacks", () => {
  it("is 1h, 6h, 1d, 3d for a 30-day window with the default rules (their long windows)", () => {
    const slo = makeSlo();
    expect(slo.alerting.rules.map((r) => r.longWindowMs)).toEqual([HOUR, 6 * HOUR, 3 * DAY]);
    expect(keys(slo)).toEqual(["1h", "6h", "1d", "3d"]);
  });

  it("adds the long windows of the rules of a 7-day window, shortest first", () => {
    const window = { kind: "rolling", ms: 7 * DAY } as const;
    expect(keys(makeSlo({ window }))).toEqual(["14m", "1h", "1h24m", "6h", "16h48m", "1d", "3d"]);
  });

  it("takes a custom rule's long window, and the status reports its burn rate", () => {
    const base = makeSlo({ targetPercent: "90" });
    const rule = { ...(base.alerting.rules[0] ?? ({} as never)), longWindowMs: 2 * HOUR };
    const slo: Slo = { ...base, alerting: { ...base.alerting, rules: [rule] } };
    expect(keys(slo)).toEqual(["1h", "2h", "6h", "1d", "3d"]);
    const tables = AttemptTables.forSlos([slo]);
    // One bad attempt 90 minutes ago and one good one 30 minutes ago: 2h sees both.
    const at = T0 + DAY;
    tables.add(
      makeAttempt({ id: "a", startedAt: at - 100 * MINUTE, servingAt: at - 90 * MINUTE + 1 }),
    );
    tables.add(makeAttempt({ id: "b", startedAt: at - 31 * MINUTE, servingAt: at - 30 * MINUTE }));
    const status = evaluateSlo(slo, tables, at);
    expect(status.burnRates["2h"]).toBe(5); // (1 bad / 2) / 0.1
    expect(status.burnRates["1h"]).toBe(0);
    // The status's own lookbacks and the window first, in the order the contract writes them.
    expect(Object.keys(status.burnRates)).toEqual(["1h", "6h", "1d", "3d", "window", "2h"]);
    expect(defaultAlertPolicy(slo.window, slo.objective.target).rules).toHaveLength(3);
  });
});
