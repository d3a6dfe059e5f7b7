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
    };

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
  readonly source: { readonly file: string; readonly line: number };
}
