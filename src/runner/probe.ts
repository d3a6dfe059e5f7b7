import type { Clock } from "../clock/clock.js";
import type { ProbeProtocol } from "../core/pipeline/pipeline.js";
import { anySignal } from "./any-signal.js";
import { answerProblem, type HttpRequest, httpRequest } from "./http-check.js";

/** A probe with its templates resolved. */
export interface ResolvedProbe {
  readonly protocol: ProbeProtocol;
  readonly url: string;
  readonly model: string | null;
  readonly request: unknown;
  readonly method: "GET" | "POST";
  readonly field: string;
  readonly expect: string;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

function trimSlash(url: string): string {
  return url.endsWith("/") ? url.slice(0, -1) : url;
}

/** The request a protocol sends, and the JSON field of the answer that must equal what. */
export function probeRequest(probe: ResolvedProbe): {
  request: HttpRequest;
  check: { field: string; equals: string };
} {
  switch (probe.protocol) {
    case "open-inference-v2":
      return {
        request: {
          url: `${trimSlash(probe.url)}/v2/models/${encodeURIComponent(probe.model ?? "")}/infer`,
          method: "POST",
          body: probe.request,
        },
        check: { field: "model_version", equals: probe.expect },
      };
    case "openai":
      return {
        request: {
          url: `${trimSlash(probe.url)}/v1/completions`,
          method: "POST",
          body: { model: probe.model, prompt: "ping", max_tokens: 1 },
        },
        check: { field: "model", equals: probe.model ?? "" },
      };
    case "http":
      return {
        request: { url: probe.url, method: probe.method, body: probe.request },
        check: { field: probe.field, equals: probe.expect },
      };
  }
}

export type ProbeResult =
  | {
      readonly ok: true;
      /** Epoch ms when the first good answer arrived: the attempt's servingAt. */
      readonly servingAt: number;
      readonly latencyMs: number;
      readonly tries: number;
    }
  | {
      readonly ok: false;
      readonly reason: string;
      readonly tries: number;
      readonly cancelled: boolean;
    };

/**
 * Sends the probe every intervalMs (from the start of one try to the next) until an answer
 * confirms the new version, timeoutMs passes, or `signal` aborts.
 */
export async function waitForServing(
  probe: ResolvedProbe,
  clock: Clock,
  signal: AbortSignal,
  onTry?: (problem: string, tries: number) => void,
): Promise<ProbeResult> {
  const { request, check } = probeRequest(probe);
  const deadline = clock.now() + probe.timeoutMs;
  const timeout = new AbortController();
  const timer = setTimeout(() => timeout.abort(), probe.timeoutMs);
  const both = anySignal([signal, timeout.signal]);
  let reason = "no try";
  let tries = 0;
  try {
    while (!both.aborted && clock.now() < deadline) {
      const began = clock.now();
      tries++;
      const answer = await httpRequest(request, both);
      const problem = answerProblem(answer, 200, check);
      if (problem === undefined)
        return { ok: true, servingAt: clock.now(), latencyMs: answer.ms, tries };
      if (both.aborted) break;
      reason = problem;
      onTry?.(problem, tries);
      const wait = Math.min(probe.intervalMs - (clock.now() - began), deadline - clock.now());
      if (wait > 0) await clock.sleep(wait, both);
    }
  } finally {
    clearTimeout(timer);
  }
  return {
    ok: false,
    reason: signal.aborted
      ? "stopped"
      : `no good answer within ${probe.timeoutMs} ms; last: ${reason}`,
    tries,
    cancelled: signal.aborted,
  };
}
