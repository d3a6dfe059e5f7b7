import type { TailAttributionJson } from "../contract/tail-attribution-schema.js";
import { selectorTerms } from "../core/analysis/selector-terms.js";
import { tailAttribution } from "../core/analysis/tail-attribution.js";
import { formatTimestamp } from "../core/primitives/timestamp.js";
import { type InsightScope, type InsightSource, insightAttempts } from "./insight-attempts.js";
import { MAX_SCANNED } from "./scan-attempts.js";
import type { UseCaseCall } from "./service-context.js";

/** `deployslo tail` and GET /api/v1/insight/tail. */
export async function attributeTail({
  input,
}: UseCaseCall<
  never,
  { readonly source: InsightSource; readonly scope: InsightScope }
>): Promise<TailAttributionJson> {
  const { attempts, complete } = await insightAttempts(input.source, input.scope);
  const result = tailAttribution(attempts);
  return {
    selector: selectorTerms(input.scope.selector),
    from: input.scope.from === undefined ? null : formatTimestamp(input.scope.from),
    to: input.scope.to === undefined ? null : formatTimestamp(input.scope.to),
    ...result,
    stages: [...result.stages],
    complete,
    limit: MAX_SCANNED,
  };
}
