import { defaultRetentionMs, retentionProblem } from "../core/evaluation/retention-reach.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { Slo } from "../core/spec/slo.js";

/** `serve --retain`: a given duration, the default derived from the SLOs, or no deletion. */
export type Retention =
  | { readonly kind: "default" }
  | { readonly kind: "never" }
  | { readonly kind: "fixed"; readonly ms: number };

/**
 * How long to keep attempts for these SLOs, ms; undefined: delete nothing (`never`, or no SLO).
 * A fixed retention shorter than an SLO's window plus its lookback is refused (CONFIG_INVALID,
 * naming the SLO), at start and on every reload, so no SLO ever loses a row it can see.
 */
export function resolveRetention(retention: Retention, slos: readonly Slo[]): number | undefined {
  switch (retention.kind) {
    case "never":
      return undefined;
    case "default":
      return defaultRetentionMs(slos);
    case "fixed": {
      const problem = retentionProblem(retention.ms, slos);
      if (problem !== undefined) {
        throw new DeploysloError("CONFIG_INVALID", `--retain: ${problem}`, [
          "lengthen --retain, or leave it out for the default (twice the longest window plus its lookback and a day)",
        ]);
      }
      return retention.ms;
    }
  }
}
