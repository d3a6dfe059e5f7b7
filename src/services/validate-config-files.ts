import { loadNotificationTargets } from "../config/load-notification-targets.js";
import { loadSloSpecs } from "../config/load-slo-specs.js";
import { readConfigFile } from "../config/read-config-file.js";
import { checkNotifyTargets } from "../core/notification/check-notify-targets.js";
import { parsePipelineSpec } from "../core/pipeline/parse-pipeline-spec.js";
import { stageBudgetWarnings } from "../core/pipeline/stage-budget-warnings.js";
import type { Diagnostic } from "../core/spec/diagnostic.js";
import { documentKinds } from "../core/spec/document-kinds.js";
import type { UseCaseCall } from "./service-context.js";

export interface ValidationOutput {
  readonly errors: readonly Diagnostic[];
  readonly warnings: readonly Diagnostic[];
  readonly sloCount: number;
  readonly notificationTargetCount: number;
  readonly pipelineCount: number;
}

/** A file that holds a pipeline: it is read by `promote`, one pipeline a file. */
async function isPipelineFile(file: string): Promise<boolean> {
  return documentKinds(await readConfigFile(file)).includes("Pipeline");
}

/**
 * The `validate` use case: every diagnostic of the given files, errors and warnings apart.
 * A file holding a `kind: Pipeline` document is checked as a pipeline; the others as SLO specs
 * and notification targets, together (a target's name is checked against the SLOs' `notify`).
 * Targets' environment variables are read by `serve`, not here.
 */
export async function validateConfigFiles({
  input: { files },
}: UseCaseCall<never, { readonly files: readonly string[] }>): Promise<ValidationOutput> {
  const pipelineFiles: string[] = [];
  const specFiles: string[] = [];
  for (const file of files) ((await isPipelineFile(file)) ? pipelineFiles : specFiles).push(file);
  const pipelines = await Promise.all(
    pipelineFiles.map(async (file) => parsePipelineSpec(await readConfigFile(file), file)),
  );
  const specs = await loadSloSpecs(specFiles);
  const targets = await loadNotificationTargets(specFiles);
  const notify = checkNotifyTargets(
    specs.slos,
    targets.targets.map((target) => target.name),
  );
  const diagnostics = [
    ...specs.diagnostics,
    ...targets.diagnostics,
    ...notify,
    ...pipelines.flatMap((parsed) => parsed.diagnostics),
    ...stageBudgetWarnings(
      specs.slos,
      pipelines.flatMap((parsed) => (parsed.pipeline === undefined ? [] : [parsed.pipeline])),
    ),
  ].sort(
    (a, b) =>
      files.indexOf(a.file) - files.indexOf(b.file) || a.line - b.line || a.column - b.column,
  );
  return {
    errors: diagnostics.filter((d) => d.severity === "error"),
    warnings: diagnostics.filter((d) => d.severity === "warning"),
    sloCount: specs.slos.length,
    notificationTargetCount: targets.targets.length,
    pipelineCount: pipelines.filter((parsed) => parsed.pipeline !== undefined).length,
  };
}
