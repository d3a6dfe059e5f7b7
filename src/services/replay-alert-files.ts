import { loadSloSpecs } from "../config/load-slo-specs.js";
import { slosAtRisk } from "../core/alerting/alert-evaluator.js";
import { type Replay, replayAlerts, stepInstants } from "../core/alerting/replay-alerts.js";
import type { Attempt } from "../core/attempt/attempt.js";
import { timedOutAttempt } from "../core/evaluation/timed-out-attempt.js";
import { VerdictSeries } from "../core/evaluation/verdict-series.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import type { AlertSeverity } from "../core/spec/alert-policy.js";
import type { Diagnostic } from "../core/spec/diagnostic.js";
import { formatDiagnostic } from "../core/spec/diagnostic.js";
import {
  describeInvalid,
  type InvalidRecord,
  MAX_REPORTED_INVALID,
} from "../ingest/invalid-record.js";
import { readAttemptFile } from "../ingest/read-attempt-file.js";
import type { UseCaseCall } from "./service-context.js";

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

/**
 * One incident as `alerts replay` prints it: from its page to its resolve, the SLOs grouped
 * into it, the pages it sent (one, or one more per SLO joining with targets of its own) and
 * the page alerts that fired during it (what would have paged without incidents).
 */
export interface ReplayedIncident {
  readonly key: string;
  /** The SLO whose page opened it, and that page's most severe rule. */
  readonly slo: string;
  readonly alert: string;
  readonly slos: readonly string[];
  readonly from: string;
  /** null: still firing at --to. */
  readonly to: string | null;
  readonly pages: number;
  /** Page alerts (`slo/alert`) that fired during it, each time they did. */
  readonly alertFirings: number;
}

/** One notification the service would have sent. */
export interface ReplayedNotification {
  readonly at: string;
  readonly slo: string;
  readonly alert: string;
  readonly severity: AlertSeverity;
  readonly state: "firing" | "resolved";
  readonly incident: string;
  readonly slos: readonly string[];
}

export interface ReplayOutput {
  readonly transitions: readonly ReplayedTransition[];
  readonly incidents: readonly ReplayedIncident[];
  readonly notifications: readonly ReplayedNotification[];
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
export async function replayAlertFiles({
  input,
}: UseCaseCall<never, ReplayInput>): Promise<ReplayOutput> {
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
  const replay = replayAlerts(series, stepInstants(input.from, input.to, input.stepMs));
  const transitions = replay.transitions
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
    incidents: replayedIncidents(replay),
    notifications: replay.notifications.map((n) => ({
      at: formatTimestamp(n.at),
      slo: n.slo,
      alert: n.alert,
      severity: n.severity,
      state: n.state,
      incident: n.incident ?? n.key,
      slos: n.slos ?? [n.slo],
    })),
    warnings: specs.diagnostics,
    invalid,
    attempts: new Set(attempts.map((a) => a.id)).size,
    steps,
  };
}

/** The incidents of a replay, in the order they opened. */
export function replayedIncidents(replay: Replay): ReplayedIncident[] {
  const out: ReplayedIncident[] = [];
  const opened = new Map<string, { at: number; slo: string; alert: string }>();
  const pageFirings = replay.transitions.filter(
    (t) => t.severity === "page" && t.state === "firing",
  );
  const pages = replay.notifications.filter((n) => n.severity === "page" && n.state === "firing");
  const finish = (key: string, slos: readonly string[], to: number | null) => {
    const start = opened.get(key);
    if (start === undefined) return;
    const members = new Set(slos);
    const until = to ?? Number.POSITIVE_INFINITY;
    out.push({
      key,
      slo: start.slo,
      alert: start.alert,
      slos: [...slos],
      from: formatTimestamp(start.at),
      to: to === null ? null : formatTimestamp(to),
      pages: pages.filter((n) => n.incident === key).length,
      alertFirings: pageFirings.filter(
        (t) => members.has(t.slo) && t.at >= start.at && t.at <= until,
      ).length,
    });
    opened.delete(key);
  };
  const last = new Map<string, readonly string[]>();
  for (const t of replay.incidents) {
    if (t.state === "firing") opened.set(t.key, { at: t.at, slo: t.slo, alert: t.alert });
    last.set(t.key, t.slos);
    if (t.state === "resolved") finish(t.key, t.slos, t.at);
  }
  for (const key of [...opened.keys()]) finish(key, last.get(key) ?? [], null);
  return out.sort((a, b) => a.from.localeCompare(b.from));
}
