import { loadSloSpecs } from "../config/load-slo-specs.js";
import { slosAtRisk } from "../core/alerting/alert-evaluator.js";
import { replayAlerts, stepInstants } from "../core/alerting/replay-alerts.js";
import type { Attempt } from "../core/attempt/attempt.js";
import { timedOutAttempt } from "../core/evaluation/timed-out-attempt.js";
import { VerdictSeries } from "../core/evaluation/verdict-series.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import type { AlertSeverity } from "../core/spec/alert-policy.js";
import type { Diagnostic } from "../core/spec/diagnostic.js";
import { formatDiagnostic } from "../core/spec/diagnostic.js";
import { describeInvalid, MAX_REPORTED_INVALID } from "./evaluate-slo-files.js";
import { type InvalidRecord, readAttemptFile } from "./read-attempt-file.js";

export interface ReplayInput {
  readonly configFiles: readonly string[];
  readonly deploymentFiles: readonly string[];
  readonly from: number;
  readonly to: number;
  readonly stepMs: number;
  readonly skipInvalid: boolean;
}

/** One alert transition as `alerts replay` prints it. */
export interface ReplayedTransition {
  readonly slo: string;
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly state: "firing" | "resolved";
  readonly at: string;
  /** Dependency SLOs only: the deployment SLOs with the same selector. */
  readonly atRisk?: readonly string[];
}

export interface ReplayOutput {
  readonly transitions: readonly ReplayedTransition[];
  readonly warnings: readonly Diagnostic[];
  readonly invalid: number;
  readonly attempts: number;
  readonly steps: number;
}

/** Steps at most this many instants, so a typo in --step cannot run for hours. */
export const MAX_REPLAY_STEPS = 2_000_000;

/**
 * The `alerts replay` use case: the alert state machine of every SLO, stepped from `from` to
 * `to` as of each step with what was known then, starting with every alert inactive.
 */
export async function replayAlertFiles(input: ReplayInput): Promise<ReplayOutput> {
  if (input.to < input.from) throw new DeploysloError("USAGE", "--to must not be before --from");
  const steps = Math.floor((input.to - input.from) / input.stepMs) + 1;
  if (steps > MAX_REPLAY_STEPS) {
    throw new DeploysloError(
      "USAGE",
      `${steps} steps is more than ${MAX_REPLAY_STEPS}: use a longer --step or a shorter range`,
    );
  }
  const specs = await loadSloSpecs(input.configFiles);
  const errors = specs.diagnostics.filter((d) => d.severity === "error");
  if (errors.length > 0) {
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${errors.length} error${errors.length === 1 ? "" : "s"} in SLO specs`,
      specs.diagnostics.map(formatDiagnostic),
    );
  }
  if (specs.slos.length === 0) {
    throw new DeploysloError("CONFIG_INVALID", `no SLO defined in ${input.configFiles.join(", ")}`);
  }
  const attempts: Attempt[] = [];
  const invalidRecords: InvalidRecord[] = [];
  let records = 0;
  let invalid = 0;
  for (const file of input.deploymentFiles) {
    const stats = await readAttemptFile(
      file,
      // Ended as the service would have at their timeout; before it they are in progress still.
      (attempt) => attempts.push(timedOutAttempt(attempt, specs.slos, input.to) ?? attempt),
      (record) => {
        if (invalidRecords.length < MAX_REPORTED_INVALID) invalidRecords.push(record);
      },
    );
    records += stats.records;
    invalid += stats.invalid;
  }
  if (invalid > 0 && !input.skipInvalid) {
    throw new DeploysloError(
      "RECORD_INVALID",
      `${invalid} of ${records} record${records === 1 ? "" : "s"} invalid`,
      [
        ...invalidRecords.flatMap(describeInvalid),
        "Fix them, or pass --skip-invalid to replay the valid records only.",
      ],
    );
  }
  const series = specs.slos.map((slo) => ({
    slo,
    series: VerdictSeries.of(slo, attempts, input.to),
  }));
  const atRisk = new Map(specs.slos.map((slo) => [slo.name, slosAtRisk(slo, specs.slos)]));
  const transitions = replayAlerts(series, stepInstants(input.from, input.to, input.stepMs))
    .filter((t) => t.state !== "pending")
    .map((t): ReplayedTransition => {
      const risk = atRisk.get(t.slo) ?? [];
      return {
        slo: t.slo,
        alert: t.alert,
        severity: t.severity,
        state: t.state as "firing" | "resolved",
        at: formatTimestamp(t.at),
        ...(risk.length > 0 ? { atRisk: risk } : {}),
      };
    });
  return {
    transitions,
    warnings: specs.diagnostics,
    invalid,
    attempts: new Set(attempts.map((a) => a.id)).size,
    steps,
  };
}
