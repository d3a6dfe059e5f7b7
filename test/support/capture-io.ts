import type { CliIo } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/program.js";

export interface CliRun {
  readonly stdout: string;
  readonly stderr: string;
  readonly exitCode: number;
}

/** Runs the CLI in-process with captured streams, no TTY and a fixed clock. */
export async function runCliCaptured(
  argv: readonly string[],
  options: { now?: number; env?: Record<string, string>; tty?: boolean } = {},
): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (text: string) => (stdout += text), isTTY: options.tty ?? false },
    stderr: { write: (text: string) => (stderr += text), isTTY: false },
    env: options.env ?? {},
    now: () => options.now ?? Date.parse("2026-10-14T09:30:00Z"),
  };
  const exitCode = await runCli(argv, io);
  return { stdout, stderr, exitCode };
}
