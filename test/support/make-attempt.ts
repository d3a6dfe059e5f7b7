import type { Attempt, Outcome, Stage } from "../../src/core/attempt/attempt.js";
import { defaultAlertPolicy } from "../../src/core/spec/alert-policy.js";
import { DEFAULT_POLICY, REPORT_ONLY_POLICY } from "../../src/core/spec/gate-policy.js";
import { defaultInProgressTimeoutMs } from "../../src/core/spec/in-progress-timeout.js";
import type { Slo, SloWindow } from "../../src/core/spec/slo.js";

export const T0 = Date.UTC(2026, 9, 1, 10, 0, 0); // 2026-10-01T10:00:00Z
export const SECOND = 1000;
export const MINUTE = 60_000;
export const HOUR = 3_600_000;
export const DAY = 86_400_000;

let counter = 0;

/** An attempt with sensible defaults; times are epoch ms. */
export function makeAttempt(fields: Partial<Attempt> & { startedAt?: number } = {}): Attempt {
  counter++;
  const servingAt = fields.servingAt ?? null;
  const endedAt = fields.endedAt ?? null;
  const outcome: Outcome = fields.outcome ?? (servingAt === null ? "in_progress" : "succeeded");
  return {
    id: `att-${counter}`,
    model: "fraud-detector",
    version: "1",
    environment: "production",
    labels: {},
    startedAt: T0,
    stages: [],
    dependencies: [],
    attributes: {},
    ...fields,
    servingAt,
    endedAt,
    outcome,
  };
}

export function makeStage(fields: Partial<Stage> & { name: string; startedAt: number }): Stage {
  return {
    endedAt: null,
    status: fields.endedAt === undefined || fields.endedAt === null ? "in_progress" : "succeeded",
    kind: "active",
    attributes: {},
    ...fields,
  };
}

/** An SLO with the given fields; target as a percentage string like "99.9". */
export function makeSlo(
  fields: Partial<Omit<Slo, "objective">> & {
    thresholdMs?: number;
    targetPercent?: string;
    percentile?: number;
  } = {},
): Slo {
  const [whole = "99", fraction = ""] = (fields.targetPercent ?? "99").split(".");
  const { thresholdMs, targetPercent: _t, percentile, ...rest } = fields;
  const target = { units: BigInt(whole + fraction), scale: 100n * 10n ** BigInt(fraction.length) };
  const window: SloWindow = fields.window ?? { kind: "rolling", ms: 30 * DAY };
  return {
    alerting: defaultAlertPolicy(window, target, fields.indicator?.kind === "dependency"),
    name: "test-slo",
    description: null,
    labels: {},
    selector: { environment: null, model: null, labels: {} },
    indicator: { kind: "deployment" },
    policy: fields.indicator?.kind === "dependency" ? REPORT_ONLY_POLICY : DEFAULT_POLICY,
    budgeting: "occurrences",
    window: { kind: "rolling", ms: 30 * DAY },
    source: { file: "test.yaml", line: 1 },
    inProgressTimeoutMs: defaultInProgressTimeoutMs(thresholdMs ?? 5 * MINUTE),
    ...rest,
    objective: {
      thresholdMs: thresholdMs ?? 5 * MINUTE,
      target,
      percentile: percentile ?? null,
    },
  };
}
