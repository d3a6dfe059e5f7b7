import type { AttributeValue } from "../core/attempt/attempt.js";
import {
  type CanaryStep,
  judgeCanaryStep,
  type ProbeSample,
  summarizeSamples,
} from "../core/pipeline/judge-canary-step.js";
import type { CanaryAction } from "../core/pipeline/pipeline.js";
import { CanaryTrafficControl, resolveTraffic } from "./canary-traffic.js";
import { answerProblem, type HttpRequest, httpRequest } from "./http-check.js";
import { probeRequest } from "./probe.js";
import type { ActionContext, ActionResult, StageAction } from "./stage-action.js";

interface Target {
  readonly request: HttpRequest;
  /** The field the answer must hold, for the new version; null for the old one. */
  readonly check: { readonly field: string; readonly equals: string } | null;
}

/** The serving probe's request, sent to `url`. */
function targetAt(url: string, context: ActionContext, checkVersion: boolean): Target {
  const serving = context.serving;
  if (serving === undefined) throw new Error("a canary stage runs only in a pipeline with serving");
  const { request, check } = probeRequest({
    protocol: serving.protocol,
    url,
    model: serving.model === null ? null : context.expand(serving.model),
    request: serving.request,
    method: serving.method,
    field: serving.field,
    expect: context.expand(serving.expect),
    intervalMs: serving.intervalMs,
    timeoutMs: serving.timeoutMs,
  });
  return { request, check: checkVersion ? check : null };
}

async function sample(target: Target, signal: AbortSignal): Promise<ProbeSample> {
  const answer = await httpRequest(target.request, signal);
  const problem = answerProblem(answer, 200, target.check);
  return { ok: problem === undefined, ms: answer.ms, problem: problem ?? null };
}

/**
 * Whether the step fails whatever its remaining requests answer: more errors than the rate
 * allows of all its requests, or more answers slower than maxP95 than a nearest-rank p95 of
 * `requests` answers can hide (then no smaller number of good answers hides them either).
 */
export function certainFailure(samples: readonly ProbeSample[], action: CanaryAction): boolean {
  const { requests, analysis } = action;
  const errors = samples.filter((s) => !s.ok).length;
  if (errors > Math.floor(analysis.maxErrorRate * requests + 1e-9)) return true;
  const max = analysis.maxP95Ms;
  if (max === null) return false;
  const slow = samples.filter((s) => s.ok && s.ms > max).length;
  return slow >= requests - Math.ceil((95 * requests) / 100) + 1;
}

/**
 * One step's probe requests, one interval apart, each to the new version and then the old one.
 * The new version's first good answer with traffic on it is the attempt's first inference.
 */
async function probeStep(
  action: CanaryAction,
  targets: { canary: Target; baseline: Target | null },
  context: ActionContext,
): Promise<{ canary: ProbeSample[]; baseline: ProbeSample[] }> {
  const { clock, signal } = context;
  const canary: ProbeSample[] = [];
  const baseline: ProbeSample[] = [];
  for (let i = 0; i < action.requests && !signal.aborted; i++) {
    const began = clock.now();
    // Alternate which version goes first, so neither always pays for what the other warmed.
    const oldFirst = i % 2 === 1 && targets.baseline !== null;
    if (oldFirst && targets.baseline !== null)
      baseline.push(await sample(targets.baseline, signal));
    const answer = await sample(targets.canary, signal);
    if (signal.aborted) break;
    canary.push(answer);
    if (answer.ok) context.onServing?.(clock.now(), answer.ms);
    // Stop sending a failing version traffic as soon as its verdict cannot change.
    if (certainFailure(canary, action)) break;
    if (!oldFirst && targets.baseline !== null) {
      const old = await sample(targets.baseline, signal);
      if (signal.aborted) break;
      baseline.push(old);
    }
    const wait = action.intervalMs - (clock.now() - began);
    if (i < action.requests - 1 && wait > 0) await clock.sleep(wait, signal);
  }
  return { canary, baseline };
}

/** A step's analysis as span attributes: the trace shows what each step saw. */
function stepAttributes(index: number, step: CanaryStep): Record<string, AttributeValue> {
  const at = `canary.step${index}`;
  const out: Record<string, AttributeValue> = {
    [`${at}.weight`]: step.weight,
    [`${at}.requests`]: step.canary.requests,
    [`${at}.errorRate`]: step.canary.errorRate,
    [`${at}.verdict`]: step.passed ? "passed" : "failed",
  };
  if (step.canary.p95Ms !== null) out[`${at}.p95Ms`] = step.canary.p95Ms;
  if (step.baseline !== null) {
    out[`${at}.baselineErrorRate`] = step.baseline.errorRate;
    if (step.baseline.p95Ms !== null) out[`${at}.baselineP95Ms`] = step.baseline.p95Ms;
  }
  if (!step.passed) out[`${at}.reason`] = step.reasons.join("; ").slice(0, 500);
  return out;
}

/**
 * The `canary` action: moves traffic to the new version step by step and judges each step from
 * probe requests to both versions. On a failed step, an error or a stop, traffic goes back to
 * what it was before the first step, and the stage fails (onFailure then runs).
 */
export const canaryAction: StageAction<CanaryAction> = async (action, context) => {
  const control = new CanaryTrafficControl(resolveTraffic(action.traffic, context), context);
  const attributes: Record<string, AttributeValue> = { "canary.steps": action.steps.length };
  const outputs: Record<string, string> = {};
  let failure: string | undefined;
  try {
    await control.start();
    const previous = control.previous;
    if (previous !== null) outputs.previous = previous;
    const baselineUrl = action.baseline === null ? previous : context.expand(action.baseline);
    if (baselineUrl !== null) attributes["canary.baseline"] = baselineUrl;
    const targets = {
      canary: targetAt(context.expand(action.url), context, true),
      baseline: baselineUrl === null ? null : targetAt(baselineUrl, context, false),
    };
    // One unmeasured request to each version first: the first request of a process pays for
    // setting up the HTTP client and the connection, which must not count against either.
    await sample(targets.canary, context.signal);
    if (targets.baseline !== null) await sample(targets.baseline, context.signal);
    for (const [i, weight] of action.steps.entries()) {
      await control.setWeight(weight, i + 1);
      const samples = await probeStep(action, targets, context);
      if (context.signal.aborted) break;
      const step = judgeCanaryStep(
        weight,
        summarizeSamples(samples.canary),
        targets.baseline === null ? null : summarizeSamples(samples.baseline),
        action.analysis,
      );
      Object.assign(attributes, stepAttributes(i + 1, step));
      attributes["canary.weight"] = weight;
      if (!step.passed) {
        failure = `step ${i + 1} (${weight}% of traffic): ${step.reasons.join("; ")}`;
        break;
      }
    }
  } catch (thrown) {
    failure = thrown instanceof Error ? thrown.message : String(thrown);
  }
  const passed = failure === undefined && !context.signal.aborted;
  if (passed) return { ok: true, attributes, outputs };
  return rollBack(control, attributes, outputs, failure ?? "stopped");
};

async function rollBack(
  control: CanaryTrafficControl,
  attributes: Record<string, AttributeValue>,
  outputs: Record<string, string>,
  failure: string,
): Promise<ActionResult> {
  try {
    const restored = await control.restore();
    attributes["canary.trafficRestored"] = true;
    attributes["canary.weight"] = 0;
    return { ok: false, error: `${failure}; ${restored}`, attributes, outputs };
  } catch (thrown) {
    attributes["canary.trafficRestored"] = false;
    const why = thrown instanceof Error ? thrown.message : String(thrown);
    return {
      ok: false,
      error: `${failure}; traffic could NOT be moved back: ${why}`,
      attributes,
      outputs,
    };
  }
}
