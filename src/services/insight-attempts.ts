import type { Attempt } from "../core/attempt/attempt.js";
import { selectorMatcher } from "../core/evaluation/selector-matcher.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Selector } from "../core/spec/slo.js";
import {
  describeInvalid,
  type InvalidRecord,
  MAX_REPORTED_INVALID,
} from "../ingest/invalid-record.js";
import { readAttemptFile } from "../ingest/read-attempt-file.js";
import type { Store } from "../store/store.js";
import { MAX_SCANNED, scanAttempts } from "./scan-attempts.js";

/** Where the history of an insight comes from: files (offline) or the store (the API). */
export type InsightSource =
  | { readonly kind: "files"; readonly files: readonly string[]; readonly skipInvalid: boolean }
  | { readonly kind: "store"; readonly store: Store };

export interface InsightScope {
  readonly selector: Selector;
  /** Exact model and environment, on top of the selector (the dashboard's filters). */
  readonly model?: string | undefined;
  readonly environment?: string | undefined;
  /** startedAt ≥ from and < to (epoch ms); open when absent. */
  readonly from?: number | undefined;
  readonly to?: number | undefined;
}

export interface InsightAttempts {
  readonly attempts: Attempt[];
  /** False when the store held more attempts in scope than an insight reads (MAX_SCANNED). */
  readonly complete: boolean;
  readonly invalid: number;
}

async function fromFiles(
  files: readonly string[],
  skipInvalid: boolean,
  scope: InsightScope,
): Promise<InsightAttempts> {
  const matches = selectorMatcher(scope.selector);
  const byId = new Map<string, Attempt>();
  const invalidRecords: InvalidRecord[] = [];
  let invalid = 0;
  let records = 0;
  for (const file of files) {
    const stats = await readAttemptFile(
      file,
      (attempt) => {
        // The last record of an id wins, as in evaluate and the store.
        byId.delete(attempt.id);
        byId.set(attempt.id, attempt);
      },
      (record) => {
        if (invalidRecords.length < MAX_REPORTED_INVALID) invalidRecords.push(record);
      },
    );
    invalid += stats.invalid;
    records += stats.records;
  }
  if (invalid > 0 && !skipInvalid) {
    const details = invalidRecords.flatMap(describeInvalid);
    details.push("Fix them, or pass --skip-invalid to use the valid records only.");
    throw new DeploysloError("RECORD_INVALID", `${invalid} of ${records} records invalid`, details);
  }
  const attempts = [...byId.values()].filter(
    (a) =>
      matches(a) &&
      (scope.model === undefined || a.model === scope.model) &&
      (scope.environment === undefined || a.environment === scope.environment) &&
      (scope.from === undefined || a.startedAt >= scope.from) &&
      (scope.to === undefined || a.startedAt < scope.to),
  );
  return { attempts, complete: true, invalid };
}

/** The attempts an insight looks at: those the selector matches, started in [from, to). */
export async function insightAttempts(
  source: InsightSource,
  scope: InsightScope,
): Promise<InsightAttempts> {
  if (source.kind === "files") return fromFiles(source.files, source.skipInvalid, scope);
  const { attempts, complete } = await scanAttempts(
    source.store,
    {
      selector: scope.selector,
      model: scope.model,
      environment: scope.environment,
      from: scope.from,
      to: scope.to,
    },
    MAX_SCANNED,
  );
  return { attempts, complete, invalid: 0 };
}
