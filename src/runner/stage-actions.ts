import type { PipelineAction } from "../core/pipeline/pipeline.js";
import { canaryAction } from "./canary-action.js";
import { checksumAction } from "./checksum-action.js";
import { httpAction } from "./http-action.js";
import { runAction } from "./run-action.js";
import type { ActionContext, ActionOfType, ActionResult, StageAction } from "./stage-action.js";

/** Every action the runner knows, by type: a new type of stage is one more entry. */
const STAGE_ACTIONS: { readonly [T in PipelineAction["type"]]: StageAction<ActionOfType<T>> } = {
  run: runAction,
  http: httpAction,
  checksum: checksumAction,
  canary: canaryAction,
};

/** One try of a stage's action. */
export function runStageAction(
  action: PipelineAction,
  context: ActionContext,
): Promise<ActionResult> {
  const run = STAGE_ACTIONS[action.type] as StageAction<PipelineAction>;
  return run(action, context);
}
