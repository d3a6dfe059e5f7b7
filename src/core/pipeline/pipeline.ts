import type { StageKind } from "../attempt/attempt.js";
import type { Template } from "../primitives/template.js";

/** A JSON field that must equal a value: `field` is a dotted path (`outputs.0.name`). */
export interface FieldEquals {
  readonly field: string;
  readonly equals: Template;
}

export type PipelineAction =
  | { readonly type: "run"; readonly command: string }
  | {
      readonly type: "http";
      readonly url: Template;
      readonly method: "GET" | "POST";
      readonly body: unknown;
      readonly status: number;
      readonly json: FieldEquals | null;
      readonly intervalMs: number;
    }
  | {
      readonly type: "checksum";
      /** Exactly one of file and url. */
      readonly file: Template | null;
      readonly url: Template | null;
      /** Lowercase hex, or read from `sha256File` (the first word of its first line). */
      readonly sha256: Template | null;
      readonly sha256File: Template | null;
    }
  | CanaryAction;

/** What moves traffic between the old and the new version at each canary step. */
export type CanaryTraffic =
  /** The local traffic switch's admin API (examples/local-model/switch.mjs). */
  | { readonly type: "switch"; readonly admin: Template; readonly upstream: Template }
  /** Any other system: a command run with $CANARY_WEIGHT (0–100) set. */
  | { readonly type: "run"; readonly command: string };

/** When a canary step fails its analysis. Rates are fractions; null: not judged. */
export interface CanaryAnalysis {
  /** The highest share of failed probe requests to the new version. */
  readonly maxErrorRate: number;
  /** The highest p95 latency of the new version's answers. */
  readonly maxP95Ms: number | null;
  /** The highest ratio of the new version's p95 to the old version's (needs a baseline). */
  readonly maxP95Ratio: number | null;
  /** Latency differences smaller than this never fail a step: noise on fast models. */
  readonly minP95DifferenceMs: number;
}

/**
 * Moves traffic to the new version in steps and, at each, probes the new version (and the
 * old one, to compare) with the serving probe's request; the first failed step stops it.
 */
export interface CanaryAction {
  readonly type: "canary";
  readonly traffic: CanaryTraffic;
  /** Percentages of traffic to the new version, ascending, the last 100. */
  readonly steps: readonly number[];
  /** The new version's own address, probed directly (the serving probe's url form). */
  readonly url: Template;
  /** The old version's address; null: with a switch, the upstream it routed before; else none. */
  readonly baseline: Template | null;
  /** Probe requests per step to each version. */
  readonly requests: number;
  /** Between the starts of two probe requests to one version. */
  readonly intervalMs: number;
  readonly analysis: CanaryAnalysis;
}

/** What a promotion does when its SLO's threshold passes before the new version serves. */
export const THRESHOLD_ACTIONS = ["continue", "rollback"] as const;
export type ThresholdAction = (typeof THRESHOLD_ACTIONS)[number];

export interface PipelineStage {
  readonly name: string;
  readonly action: PipelineAction;
  readonly needs: readonly string[];
  readonly kind: StageKind;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
  readonly line: number;
}

export const PROBE_PROTOCOLS = ["open-inference-v2", "openai", "http"] as const;
export type ProbeProtocol = (typeof PROBE_PROTOCOLS)[number];

/** The first-inference probe: its first success is the attempt's `servingAt`. */
export interface ServingProbe {
  readonly protocol: ProbeProtocol;
  /** The server's base URL (open-inference-v2, openai) or the request URL (http). */
  readonly url: Template;
  /** The model name the server knows (open-inference-v2, openai). */
  readonly model: Template | null;
  /** The request body: the inference request (open-inference-v2) or any JSON (http). */
  readonly request: unknown;
  /** http only: the method, and the JSON field that must equal the version. */
  readonly method: "GET" | "POST";
  readonly field: string;
  /** What the answer must report: the version being promoted unless given. */
  readonly expect: Template;
  readonly intervalMs: number;
  readonly timeoutMs: number;
}

/** A parsed `kind: Pipeline` document. */
export interface Pipeline {
  readonly name: string;
  readonly description: string | null;
  /** The whole attempt: past it, running stages are stopped and the attempt is timed_out. */
  readonly timeoutMs: number;
  readonly env: Readonly<Record<string, Template>>;
  readonly stages: readonly PipelineStage[];
  readonly onFailure: readonly PipelineStage[];
  readonly serving: ServingProbe;
  /** `rollback`: stop and run onFailure once the SLO's threshold passes before serving. */
  readonly onThresholdExceeded: ThresholdAction;
  readonly source: { readonly file: string; readonly line: number };
}
