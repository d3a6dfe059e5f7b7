import { spawn } from "node:child_process";

export interface CommandResult {
  /** null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Its last lines of output, for the failure message. */
  readonly tail: readonly string[];
}

export interface CommandOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /** Aborting kills the command's whole process group: SIGTERM, then SIGKILL after graceMs. */
  readonly signal: AbortSignal;
  readonly graceMs?: number;
  readonly onLine?: (line: string, stream: "stdout" | "stderr") => void;
}

const TAIL_LINES = 20;

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * Runs `command` with /bin/sh in a new process group and resolves when the shell exits. A
 * process the command leaves running in the background (a server it started) keeps running;
 * its output is still read while this process lives, but it should go to a file.
 */
export function runCommand(command: string, options: CommandOptions): Promise<CommandResult> {
  return new Promise((resolve) => {
    const tail: string[] = [];
    const child = spawn("/bin/sh", ["-c", command], {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (child.pid === undefined) return;
      const pid = child.pid;
      killGroup(pid, "SIGTERM");
      killTimer = setTimeout(() => killGroup(pid, "SIGKILL"), options.graceMs ?? 3000);
      killTimer.unref();
    };
    for (const [stream, name] of [
      [child.stdout, "stdout"],
      [child.stderr, "stderr"],
    ] as const) {
      let partial = "";
      stream.setEncoding("utf8").on("data", (chunk: string) => {
        const lines = (partial + chunk).split("\n");
        partial = lines.pop() ?? "";
        for (const line of lines) {
          tail.push(line);
          if (tail.length > TAIL_LINES) tail.shift();
          options.onLine?.(line, name);
        }
      });
    }
    const finish = (exitCode: number | null, signal: string | null) => {
      options.signal.removeEventListener("abort", onAbort);
      if (killTimer !== undefined && signal === null) clearTimeout(killTimer);
      // Background processes may hold the pipes: read them on, without keeping node alive.
      const unref = (s: unknown) => (s as { unref?: () => void } | null)?.unref?.();
      unref(child.stdout);
      unref(child.stderr);
      resolve({ exitCode, signal, tail: [...tail] });
    };
    child.once("exit", (code, signal) => finish(code, signal));
    child.once("error", (error) => {
      tail.push(error.message);
      finish(127, null);
    });
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort, { once: true });
  });
}
