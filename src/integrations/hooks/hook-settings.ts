import type { MlflowSettings } from "../mlflow/mlflow-settings.js";

export const HOOK_SOURCES = ["mlflow", "cdevents", "argocd", "github", "kserve"] as const;
export type HookSource = (typeof HOOK_SOURCES)[number];

/** The sources that sign their deliveries with a shared secret. */
export const SIGNING_SOURCES: readonly HookSource[] = ["mlflow", "github"];

/** What the receivers need from the server's configuration, validated at start. */
export interface HookSettings {
  /** Shared webhook secrets of the signing sources. */
  readonly secrets: Readonly<Partial<Record<HookSource, string>>>;
  readonly mlflow: MlflowSettings;
}

export const DEFAULT_HOOK_SETTINGS: HookSettings = Object.freeze({
  secrets: Object.freeze({}),
  mlflow: Object.freeze({ aliases: new Map<string, string>() }),
});

export function isHookSource(source: string): source is HookSource {
  return (HOOK_SOURCES as readonly string[]).includes(source);
}

/** The sources whose deliveries are authenticated by their signature: those with a secret. */
export function signedHookSources(settings: HookSettings | undefined): readonly HookSource[] {
  return SIGNING_SOURCES.filter((source) => settings?.secrets[source] !== undefined);
}
