/** How MLflow's registry maps to deployslo's attempts (serve --mlflow-alias, …). */
export interface MlflowSettings {
  /**
   * Alias → environment: moving the alias promotes to that environment. Empty: every alias
   * counts, as an environment of its own name.
   */
  readonly aliases: ReadonlyMap<string, string>;
  /** The environment a newly registered version deploys to, if registering deploys. */
  readonly registeredEnvironment?: string | undefined;
}

/** The environment an alias promotes to, or undefined when the alias is not watched. */
export function aliasEnvironment(settings: MlflowSettings, alias: string): string | undefined {
  return settings.aliases.size === 0 ? alias : settings.aliases.get(alias);
}
