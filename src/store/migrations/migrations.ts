import type { Migration } from "kysely";
import * as initialSchema from "./20261128120000-initial-schema.js";
import * as notificationOutbox from "./20261128163000-notification-outbox.js";
import * as alertState from "./20261128190000-alert-state.js";
import * as gateAudit from "./20261203120000-gate-audit.js";
import * as attemptRecords from "./20261203150000-attempt-records.js";
import * as alertIncidents from "./20261203170000-alert-incidents.js";
import * as attemptExports from "./20261203170000-attempt-exports.js";
import * as policyState from "./20261203170000-policy-state.js";
import * as attemptsEndedAt from "./20261203200000-attempts-ended-at.js";
import * as retentionIndexes from "./20261203200000-retention-indexes.js";
import * as hookCorrelations from "./20261203210000-hook-correlations.js";
import * as hookCorrelationsAttempt from "./20261204060000-hook-correlations-attempt.js";

/**
 * Every migration, by name; names sort in the order they apply. Imported statically so that
 * the built program needs no migration files at run time. Add new ones at the end.
 */
export const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  "20261128120000-initial-schema": initialSchema,
  "20261128163000-notification-outbox": notificationOutbox,
  "20261128190000-alert-state": alertState,
  "20261203120000-gate-audit": gateAudit,
  "20261203150000-attempt-records": attemptRecords,
  "20261203170000-alert-incidents": alertIncidents,
  "20261203170000-attempt-exports": attemptExports,
  "20261203170000-policy-state": policyState,
  "20261203200000-attempts-ended-at": attemptsEndedAt,
  "20261203200000-retention-indexes": retentionIndexes,
  "20261203210000-hook-correlations": hookCorrelations,
  "20261204060000-hook-correlations-attempt": hookCorrelationsAttempt,
});
