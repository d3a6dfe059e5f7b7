import type { Attempt } from "../../src/core/attempt/attempt.js";
import type { Slo } from "../../src/core/spec/slo.js";
import { HOUR, MINUTE, makeAttempt, makeSlo, T0 } from "./make-attempt.js";

/**
 * An SLO with one page rule (fast-burn: 1h long, 5m short window, 10 min threshold, 95%)
 * that pages on one slow attempt (no low-volume guard), notifying target `hook`.
 */
export function pagingSlo(fields: Partial<Slo> = {}): Slo {
  const base = makeSlo({ name: "prod-deploys", thresholdMs: 10 * MINUTE, targetPercent: "95" });
  const [fastBurn] = base.alerting.rules;
  if (fastBurn === undefined) throw new Error("the default policy has no rules");
  return {
    ...base,
    alerting: {
      ...base.alerting,
      rules: [fastBurn],
      lowVolume: { minBadAttempts: 1, minAttempts: 0 },
      forecast: { horizonMs: null },
      notify: ["hook"],
      labels: { team: "ml-platform" },
      runbookUrl: "https://runbooks.example.com/deploy-latency",
    },
    ...fields,
  };
}

/**
 * pagingSlo without hysteresis (keepFiringFor 0s): it resolves at the first round its condition
 * no longer holds, for tests of what survives restarts and replicas rather than of settling.
 */
export function pagingSloWithoutHysteresis(): Slo {
  const slo = pagingSlo();
  return {
    ...slo,
    alerting: {
      ...slo.alerting,
      rules: slo.alerting.rules.map((rule) => ({ ...rule, keepFiringForMs: 0 })),
    },
  };
}

/** Healthy history: one 4-minute deployment every 8 hours for 20 days from T0. */
export const HEALTHY: readonly Attempt[] = Array.from({ length: 60 }, (_, i) =>
  makeAttempt({
    id: `ok-${i}`,
    startedAt: T0 + i * 8 * HOUR,
    servingAt: T0 + i * 8 * HOUR + 4 * MINUTE,
  }),
);

/** Right after HEALTHY. */
export const REGRESSION_START = T0 + 60 * 8 * HOUR;

/** A 20-minute deployment starting at `start`: bad (its verdict known at start + 10 min). */
export function slowAttempt(start: number, id = `slow-${start}`): Attempt {
  return makeAttempt({ id, startedAt: start, servingAt: start + 20 * MINUTE });
}
