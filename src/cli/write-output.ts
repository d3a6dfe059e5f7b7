import { writeFile } from "node:fs/promises";
import { DeploysloError } from "../core/primitives/error-codes.js";
import type { CliIo } from "./cli-io.js";

/** Writes a command's result to `--output FILE`, or to stdout without one. */
export async function writeOutput(
  io: CliIo,
  text: string,
  output: string | undefined,
): Promise<void> {
  if (output === undefined || output === "-") {
    io.stdout.write(text);
    return;
  }
  try {
    await writeFile(output, text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new DeploysloError("USAGE", `cannot write --output ${output}: ${reason}`);
  }
}
