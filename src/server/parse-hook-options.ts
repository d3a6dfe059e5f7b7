import { DeploysloError } from "../core/primitives/error-codes.js";
import {
  type HookSource,
  isHookSource,
  SIGNING_SOURCES,
} from "../integrations/hooks/hook-settings.js";
import type { AliasWatch } from "../integrations/mlflow/mlflow-registry-client.js";

/** Secrets shorter than this are guessable, as for API tokens. */
const MIN_SECRET = 16;

/**
 * Parses `DEPLOYSLO_HOOK_SECRETS` / `--hook-secret` values: `SOURCE=SECRET`, comma or newline
 * separated, for the sources that sign (mlflow, github).
 */
export function parseHookSecrets(
  text: string,
  origin: string,
): Partial<Record<HookSource, string>> {
  const secrets: Partial<Record<HookSource, string>> = {};
  for (const [i, raw] of text
    .split(/[,\n]/)
    .map((part) => part.trim())
    .entries()) {
    if (raw === "") continue;
    const at = raw.indexOf("=");
    const source = at < 0 ? raw : raw.slice(0, at);
    const secret = at < 0 ? "" : raw.slice(at + 1);
    if (!isHookSource(source) || !SIGNING_SOURCES.includes(source)) {
      throw new DeploysloError(
        "USAGE",
        `${origin}: entry ${i + 1} must be SOURCE=SECRET with SOURCE one of ${SIGNING_SOURCES.join(", ")} (the others cannot sign: give them a bearer token)`,
      );
    }
    if (secret.length < MIN_SECRET) {
      throw new DeploysloError(
        "USAGE",
        `${origin}: the ${source} secret is ${secret === "" ? "empty: is the environment variable that should hold it set?" : `shorter than ${MIN_SECRET} characters`}`,
      );
    }
    secrets[source] = secret;
  }
  return secrets;
}

/** Parses `--mlflow-alias ALIAS=ENVIRONMENT` values. */
export function parseAliasEnvironments(values: readonly string[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const value of values) {
    const at = value.indexOf("=");
    const alias = value.slice(0, at).trim();
    const environment = value.slice(at + 1).trim();
    if (at < 0 || alias === "" || environment === "") {
      throw new DeploysloError(
        "USAGE",
        `--mlflow-alias must be ALIAS=ENVIRONMENT, e.g. champion=production; got "${value}"`,
      );
    }
    map.set(alias, environment);
  }
  return map;
}

/** Parses `--mlflow-watch MODEL@ALIAS` values (a model name may hold @: the last one splits). */
export function parseAliasWatches(values: readonly string[]): AliasWatch[] {
  return values.map((value) => {
    const at = value.lastIndexOf("@");
    const model = value.slice(0, at);
    const alias = value.slice(at + 1);
    if (at < 0 || model === "" || alias === "") {
      throw new DeploysloError(
        "USAGE",
        `--mlflow-watch must be MODEL@ALIAS, e.g. fraud-model@champion; got "${value}"`,
      );
    }
    return { model, alias };
  });
}
