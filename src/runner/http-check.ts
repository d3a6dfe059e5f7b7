import { jsonEquals, jsonField } from "./json-field.js";

export interface HttpRequest {
  readonly url: string;
  readonly method: "GET" | "POST";
  /** Sent as JSON when not null. */
  readonly body: unknown;
}

export type HttpAnswer =
  | {
      readonly ok: true;
      readonly status: number;
      readonly json: unknown;
      /** The body's start, for messages. */
      readonly text: string;
      readonly ms: number;
    }
  | { readonly ok: false; readonly reason: string; readonly ms: number };

/** Per request: a probe or wait never hangs on one request longer than this. */
export const REQUEST_TIMEOUT_MS = 5000;

/** One request; any answer (even an error status) is ok: false only when none came. */
export async function httpRequest(request: HttpRequest, signal: AbortSignal): Promise<HttpAnswer> {
  const begin = performance.now();
  const perRequest = new AbortController();
  const timer = setTimeout(() => perRequest.abort(), REQUEST_TIMEOUT_MS);
  const onAbort = () => perRequest.abort();
  if (signal.aborted) perRequest.abort();
  else signal.addEventListener("abort", onAbort, { once: true });
  try {
    const response = await fetch(request.url, {
      method: request.method,
      headers:
        request.body === null
          ? { accept: "application/json" }
          : { accept: "application/json", "content-type": "application/json" },
      ...(request.body === null ? {} : { body: JSON.stringify(request.body) }),
      signal: perRequest.signal,
    });
    const text = await response.text();
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      json = undefined;
    }
    return {
      ok: true,
      status: response.status,
      json,
      text: text.slice(0, BODY_START * 2),
      ms: performance.now() - begin,
    };
  } catch (error) {
    const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
    const code = (cause as { code?: unknown }).code;
    const reason =
      typeof code === "string" ? code : cause instanceof Error ? cause.message : String(cause);
    return { ok: false, reason: `no answer (${reason})`, ms: performance.now() - begin };
  } finally {
    clearTimeout(timer);
    signal.removeEventListener("abort", onAbort);
  }
}

/** Characters of an unexpected answer's body quoted in the problem. */
const BODY_START = 200;

/** The start of a body on one line, after ": ", or nothing for an empty body. */
function bodyStart(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  if (line === "") return "";
  return `: ${line.length > BODY_START ? `${line.slice(0, BODY_START - 1)}…` : line}`;
}

/** Why an answer is not the expected one, or undefined when it is. */
export function answerProblem(
  answer: HttpAnswer,
  status: number,
  json: { readonly field: string; readonly equals: string } | null,
): string | undefined {
  if (!answer.ok) return answer.reason;
  if (answer.status !== status)
    return `status ${answer.status}, expected ${status}${bodyStart(answer.text)}`;
  if (json === null) return undefined;
  const value = jsonField(answer.json, json.field);
  if (jsonEquals(value, json.equals)) return undefined;
  return answer.json === undefined
    ? `the answer is not JSON${bodyStart(answer.text)}`
    : `${json.field} is ${JSON.stringify(value) ?? "absent"}, expected "${json.equals}"`;
}
