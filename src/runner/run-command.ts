import { spawn } from "node:child_process";

export interface CommandResult {
  /** null when a signal ended it. */
  readonly exitCode: number | null;
  readonly signal: string | null;
  /** Its last lines of output, for the failure message. */
  readonly tail: readonly string[];
  /** Why it could not be started (no such program), when it could not. */
  readonly spawnError: string | null;
}

export interface CommandOptions {
  readonly cwd: string;
  readonly env: Readonly<Record<string, string>>;
  /**
   * Aborting kills the command's whole process group: SIGTERM (or the signal named by the
   * abort reason, e.g. "SIGINT"), then SIGKILL after graceMs.
   */
  readonly signal: AbortSignal;
  readonly graceMs?: number;
  readonly onLine?: (line: string, stream: "stdout" | "stderr") => void;
}

const TAIL_LINES = 20;
/**
 * After the command exits, how long its output may still take to arrive: the pipes end at once
 * unless a process it left in the background holds them.
 */
const DRAIN_MS = 50;
const SIGNALS = new Set(["SIGINT", "SIGTERM", "SIGHUP", "SIGQUIT"]);

function stopSignal(reason: unknown): NodeJS.Signals {
  return typeof reason === "string" && SIGNALS.has(reason) ? (reason as NodeJS.Signals) : "SIGTERM";
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is gone already.
  }
}

/**
 * Runs `command` (a string: with /bin/sh; a list: that program and its arguments, no shell) in
 * a new process group and resolves when it exits. A process the command leaves running in the
 * background (a server it started) keeps running; its output is still read while this process
 * lives, but it should go to a file.
 */
export function runCommand(
  command: string | readonly string[],
  options: CommandOptions,
): Promise<CommandResult> {
  const [file, ...args] = typeof command === "string" ? ["/bin/sh", "-c", command] : command;
  return new Promise((resolve) => {
    const tail: string[] = [];
    const partials = { stdout: "", stderr: "" };
    let spawnError: string | null = null;
    const child = spawn(file ?? "", args, {
      cwd: options.cwd,
      env: options.env,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let killTimer: NodeJS.Timeout | undefined;
    const onAbort = () => {
      if (child.pid === undefined) return;
      const pid = child.pid;
      killGroup(pid, stopSignal(options.signal.reason));
      killTimer = setTimeout(() => killGroup(pid, "SIGKILL"), options.graceMs ?? 3000);
      killTimer.unref();
    };
    let open = 2;
    let drained: () => void = () => undefined;
    const allEnded = new Promise<void>((resolve) => {
      drained = resolve;
    });
    for (const [stream, name] of [
      [child.stdout, "stdout"],
      [child.stderr, "stderr"],
    ] as const) {
      const take = (line: string) => {
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
        options.onLine?.(line, name);
      };
      stream.setEncoding("utf8").on("data", (chunk: string) => {
        const lines = (partials[name] + chunk).split("\n");
        partials[name] = lines.pop() ?? "";
        for (const line of lines) take(line);
      });
      // A last line without a newline (a prompt, a message cut short) is output too.
      stream.on("end", () => {
        if (partials[name] !== "") take(partials[name]);
        partials[name] = "";
        if (--open === 0) drained();
      });
    }
    const finish = async (exitCode: number | null, signal: string | null) => {
      options.signal.removeEventListener("abort", onAbort);
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        allEnded,
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, DRAIN_MS);
        }),
      ]);
      clearTimeout(timer);
      if (killTimer !== undefined && signal === null) clearTimeout(killTimer);
      // Background processes may hold the pipes: read them on, without keeping node alive.
      const unref = (s: unknown) => (s as { unref?: () => void } | null)?.unref?.();
      unref(child.stdout);
      unref(child.stderr);
      const unended = [partials.stdout, partials.stderr].filter((p) => p !== "");
      resolve({ exitCode, signal, tail: [...tail, ...unended].slice(-TAIL_LINES), spawnError });
    };
    child.once("exit", (code, signal) => void finish(code, signal));
    child.once("error", (error) => {
      spawnError = error.message;
      void finish(127, null);
    });
    if (options.signal.aborted) onAbort();
    else options.signal.addEventListener("abort", onAbort, { once: true });
  });
}
