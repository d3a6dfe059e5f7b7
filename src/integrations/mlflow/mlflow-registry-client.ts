import { z } from "zod";

/** A model and the alias of it to watch (`serve --mlflow-watch fraud-model@champion`). */
export interface AliasWatch {
  readonly model: string;
  readonly alias: string;
}

/** The answer of GET /api/2.0/mlflow/registered-models/alias (model_registry.proto). */
const AliasAnswerSchema = z.object({
  model_version: z.object({ name: z.string(), version: z.union([z.string(), z.number()]) }),
});

/** Reads which version an alias points to, or undefined when the alias is not set. */
export type LookUpAlias = (watch: AliasWatch, signal: AbortSignal) => Promise<string | undefined>;

/**
 * The one call of MLflow's REST API the alias poller needs. `token` is sent as a bearer token
 * (MLflow's MLFLOW_TRACKING_TOKEN). An alias that is not set is MLflow's 404
 * RESOURCE_DOES_NOT_EXIST (or INVALID_PARAMETER_VALUE from older servers): undefined.
 */
export function mlflowAliasLookup(
  trackingUri: string,
  options: { readonly token?: string | undefined; readonly timeoutMs?: number } = {},
): LookUpAlias {
  const base = trackingUri.replace(/\/+$/, "");
  return async (watch, signal) => {
    const url = new URL(`${base}/api/2.0/mlflow/registered-models/alias`);
    url.searchParams.set("name", watch.model);
    url.searchParams.set("alias", watch.alias);
    const response = await fetch(url, {
      headers: {
        accept: "application/json",
        ...(options.token === undefined ? {} : { authorization: `Bearer ${options.token}` }),
      },
      signal: AbortSignal.any([signal, AbortSignal.timeout(options.timeoutMs ?? 10_000)]),
    });
    const text = await response.text();
    if (
      response.status === 404 ||
      (response.status === 400 && /INVALID_PARAMETER_VALUE|RESOURCE_DOES_NOT_EXIST/.test(text))
    ) {
      return undefined;
    }
    if (!response.ok) {
      throw new Error(
        `MLflow answered ${response.status} for ${watch.model}@${watch.alias}: ${text.slice(0, 200)}`,
      );
    }
    const parsed = AliasAnswerSchema.safeParse(JSON.parse(text));
    if (!parsed.success) {
      throw new Error(
        `MLflow's answer for ${watch.model}@${watch.alias} has no model_version.version`,
      );
    }
    return String(parsed.data.model_version.version);
  };
}
