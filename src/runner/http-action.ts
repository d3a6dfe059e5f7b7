import { answerProblem, httpRequest } from "./http-check.js";
import type { ActionOfType, StageAction } from "./stage-action.js";

/** The `http` action: requests until the answer is the expected one or the try stops. */
export const httpAction: StageAction<ActionOfType<"http">> = async (action, context) => {
  const { clock, signal, expand } = context;
  const url = expand(action.url);
  const json =
    action.json === null ? null : { field: action.json.field, equals: expand(action.json.equals) };
  let problem = "no try";
  let tries = 0;
  while (!signal.aborted) {
    const began = clock.now();
    tries++;
    const answer = await httpRequest({ url, method: action.method, body: action.body }, signal);
    const found = answerProblem(answer, action.status, json);
    if (found === undefined) return { ok: true, attributes: { url, requests: tries } };
    if (!signal.aborted) problem = found;
    await clock.sleep(Math.max(0, action.intervalMs - (clock.now() - began)), signal);
  }
  return { ok: false, error: `${url}: ${problem}`, attributes: { url, requests: tries } };
};
