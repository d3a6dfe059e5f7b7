/**
 * The attribute names deployslo reads from and writes to traces: OpenTelemetry's CI/CD and
 * deployment semantic conventions (release candidate in semconv v1.43; deployment.environment.name
 * stable since v1.41), and deployslo's own for what those conventions do not name: the model,
 * its version, the serving probe. docs/opentelemetry.md lists how each is used.
 */
export const CICD = Object.freeze({
  pipelineName: "cicd.pipeline.name",
  runId: "cicd.pipeline.run.id",
  runUrl: "cicd.pipeline.run.url.full",
  result: "cicd.pipeline.result",
  actionName: "cicd.pipeline.action.name",
  taskName: "cicd.pipeline.task.name",
  taskRunId: "cicd.pipeline.task.run.id",
  taskRunUrl: "cicd.pipeline.task.run.url.full",
  taskResult: "cicd.pipeline.task.run.result",
  taskType: "cicd.pipeline.task.type",
  environment: "deployment.environment.name",
  /** Deprecated by deployment.environment.name, still read when that one is absent. */
  environmentDeprecated: "deployment.environment",
  errorType: "error.type",
  serviceName: "service.name",
});

export const DEPLOYSLO = Object.freeze({
  model: "deployslo.model",
  version: "deployslo.model.version",
  /** Overrides the outcome read from cicd.pipeline.result (e.g. rolled_back). */
  outcome: "deployslo.outcome",
  /** true on the span of the serving probe: its successful end is the first inference. */
  probe: "deployslo.probe",
  /** active | wait, on a task span. */
  stageKind: "deployslo.stage.kind",
  /** On a span that measured a dependency: registry_pull, image_pull, … */
  dependency: "deployslo.dependency",
  /** `deployslo.label.team = risk` is the label team=risk. */
  labelPrefix: "deployslo.label.",
  attemptId: "deployslo.attempt.id",
});

/** The values of cicd.pipeline.result and cicd.pipeline.task.run.result. */
export const CICD_RESULTS = ["success", "failure", "error", "timeout", "cancellation", "skip"];
