/** Largest page listAttempts returns, whatever the caller asks. */
export const MAX_ATTEMPTS_PER_PAGE = 1000;
/** Largest batch changesSince returns, whatever the caller asks. */
export const MAX_CHANGES_PER_CALL = 10_000;

/** `limit` as a whole number in 1..max; callers validate, this only guards the database. */
export function clampLimit(limit: number, max: number): number {
  if (Number.isNaN(limit)) return 1;
  return Math.min(max, Math.max(1, Math.trunc(limit)));
}
/** Largest number of outbox deliveries one claim or list returns. */
export const MAX_DELIVERIES_PER_CALL = 1000;
/** Largest page of audit entries or approvals one list returns. */
export const MAX_AUDIT_PER_PAGE = 1000;
