import { readFile } from "node:fs/promises";
import { parsePipelineSpec } from "../core/pipeline/parse-pipeline-spec.js";
import type { Pipeline } from "../core/pipeline/pipeline.js";
import { DeploysloError } from "../core/primitives/error-codes.js";
import { formatDiagnostic } from "../core/spec/diagnostic.js";
import { unreadable } from "./unreadable.js";

/** Reads and parses a pipeline file: INPUT_UNREADABLE, or CONFIG_INVALID with every diagnostic. */
export async function loadPipeline(file: string): Promise<Pipeline> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw unreadable(file, error);
  }
  const parsed = parsePipelineSpec(text, file);
  if (parsed.pipeline === undefined) {
    const errors = parsed.diagnostics.filter((d) => d.severity === "error").length;
    throw new DeploysloError(
      "CONFIG_INVALID",
      `${errors} error${errors === 1 ? "" : "s"} in pipeline ${file}`,
      parsed.diagnostics.map(formatDiagnostic),
    );
  }
  return parsed.pipeline;
}
