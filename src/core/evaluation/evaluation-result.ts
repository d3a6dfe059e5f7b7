import type { BurnRateKey } from "../../contract/slo-status-schema.js";

/*
 * Where SLOs stand as of an instant: the JSON of `deployslo evaluate --format json` and of the
 * status API, defined by the wire contract. Times are RFC 3339 strings, durations seconds.
 */
export type { EvaluationResult } from "../../contract/evaluation-result-schema.js";
export type { BurnRateKey, SloStatus } from "../../contract/slo-status-schema.js";

/** The burn-rate lookbacks besides the whole window, each a key of SloStatus.burnRates. */
export const BURN_LOOKBACKS = [
  ["1h", 3_600_000],
  ["6h", 21_600_000],
  ["1d", 86_400_000],
  ["3d", 259_200_000],
] as const satisfies readonly (readonly [Exclude<BurnRateKey, "window">, number])[];
