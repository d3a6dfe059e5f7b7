import { loadSloSpecs } from "../config/load-slo-specs.js";
import type { Attempt } from "../core/attempt/attempt.js";
import { AttemptTables } from "../core/evaluation/attempt-tables.js";
import { evaluateSlos } from "../core/evaluation/evaluate-slos.js";
import type { EvaluationResult } from "../core/evaluation/evaluation-result.js";
import { type StaleInProgress, staleInProgress } from "../core/evaluation/stale-in-progress.js";
import { timedOutAttempt } from "../core/evaluation/timed-out-attempt.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Diagnostic } from "../core/spec/diagnostic.js";
import { formatDiagnostic } from "../core/spec/diagnostic.js";
import type { Slo } from "../core/spec/slo.js";
import { type InvalidRecord, readAttemptFile } from "./read-attempt-file.js";

export interface EvaluateFilesInput {
  readonly configFiles: readonly string[];
  readonly deploymentFiles: readonly string[];
  /** The instant to evaluate as of, epoch ms. */
  readonly at: number;
  /** Report invalid records and go on, instead of failing. */
  readonly skipInvalid: boolean;
  /** Sees every valid attempt as it is read (the offline gate looks for a model's latest). */
  readonly observe?: (attempt: Attempt) => void;
}

export interface EvaluateFilesOutput {
  readonly result: EvaluationResult;
  /** The SLOs evaluated, in the order of `result.slos`. */
  readonly slos: readonly Slo[];
  readonly warnings: readonly Diagnostic[];
  readonly invalidRecords: readonly InvalidRecord[];
  readonly stats: {
    readonly records: number;
    readonly attempts: number;
    readonly invalid: number;
    /** Records whose id had been seen before; the last one read wins. */
    readonly replaced: number;
  };
  /**
   * Attempts in progress past their in-progress timeout as of `at`, counted as timed_out
   * (ended at startedAt + timeout), in the order read.
   */
  readonly timedOut: readonly Attempt[];
  /** Attempts in progress past their threshold but not yet past their timeout. */
  readonly stale: readonly StaleInProgress[];
}

/** How many invalid records are kept for the report; the rest are only counted. */
export const MAX_REPORTED_INVALID = 50;

export function describeInvalid(record: InvalidRecord): string[] {
  return record.problems.map((problem) => `${record.file}:${record.line}: ${problem}`);
}

/**
 * The `evaluate` use case: load SLO specs, stream every deployment file through validation
 * into columnar tables, and evaluate each SLO as of `at`. Fails with CONFIG_INVALID when a
 * spec has errors and with RECORD_INVALID when a record does (unless skipInvalid).
 */
export async function evaluateSloFiles(input: EvaluateFilesInput): Promise<EvaluateFilesOutput> {
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
  const tables = AttemptTables.forSlos(specs.slos);
  const invalidRecords: InvalidRecord[] = [];
  let records = 0;
  let invalid = 0;
  let replaced = 0;
  // By id, so that a later record of the same attempt (its end, usually) takes them back.
  const timedOut = new Map<string, Attempt>();
  const stale = new Map<string, StaleInProgress>();
  const onAttempt = (attempt: Attempt) => {
    const ended = timedOutAttempt(attempt, specs.slos, input.at);
    if (ended === undefined) timedOut.delete(attempt.id);
    else timedOut.set(attempt.id, ended);
    const warning =
      ended === undefined ? staleInProgress(attempt, specs.slos, input.at) : undefined;
    if (warning === undefined) stale.delete(attempt.id);
    else stale.set(attempt.id, warning);
    input.observe?.(ended ?? attempt);
    if (!tables.add(ended ?? attempt)) replaced++;
  };
  const onInvalid = (record: InvalidRecord) => {
    if (invalidRecords.length < MAX_REPORTED_INVALID) invalidRecords.push(record);
  };
  for (const file of input.deploymentFiles) {
    const stats = await readAttemptFile(file, onAttempt, onInvalid);
    records += stats.records;
    invalid += stats.invalid;
  }
  if (invalid > 0 && !input.skipInvalid) {
    const details = invalidRecords.flatMap(describeInvalid);
    if (invalid > invalidRecords.length)
      details.push(`… and ${invalid - invalidRecords.length} more invalid records`);
    details.push("Fix them, or pass --skip-invalid to evaluate the valid records only.");
    throw new DeploysloError(
      "RECORD_INVALID",
      `${invalid} of ${records} record${records === 1 ? "" : "s"} invalid`,
      details,
    );
  }
  return {
    result: evaluateSlos(specs.slos, tables, input.at),
    slos: specs.slos,
    warnings: specs.diagnostics,
    invalidRecords,
    stats: { records, attempts: tables.size, invalid, replaced },
    timedOut: [...timedOut.values()],
    stale: [...stale.values()],
  };
}
