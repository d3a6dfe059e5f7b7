import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** The built CLI, relative to the repository root (vitest's working directory). */
export const BIN = "dist/cli/main.js";

/** The URL is followed by " (database …)": requiring the space skips a line cut mid-URL. */
const SERVING = /deployslo: serving (http:\/\/\S+)\s/;
const DEFAULT_START_TIMEOUT_MS = 20_000;
const DEFAULT_STOP_TIMEOUT_MS = 10_000;
/** Captured output per stream is bounded: past this, the oldest chunks are dropped. */
const MAX_CAPTURE_CHARS = 4 * 1024 * 1024;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface ServeOptions {
  /** `--config` files (at least one, or `serve` refuses to start). */
  readonly config: readonly string[];
  /** `--database`; omitted: serve's default (relative to `cwd`). */
  readonly database?: string;
  /** Further arguments, e.g. ["--sample-data"] or ["--log-level", "warn"]. */
  readonly args?: readonly string[];
  /** Environment besides PATH; nothing else is inherited (no DEPLOYSLO_* from the caller). */
  readonly env?: Readonly<Record<string, string>>;
  /** Working directory; the BIN path is made absolute, so any directory works. */
  readonly cwd?: string;
  /** How long `spawnServer` waits for the "serving" line (default 20 s). */
  readonly startTimeoutMs?: number;
}

/** A process's captured output, bounded, as text. */
class Capture {
  #chunks: string[] = [];
  #size = 0;
  #dropped = false;

  add(chunk: string): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size > MAX_CAPTURE_CHARS && this.#chunks.length > 1) {
      this.#size -= this.#chunks.shift()?.length ?? 0;
      this.#dropped = true;
    }
  }

  text(): string {
    return (this.#dropped ? "[…earlier output dropped…]\n" : "") + this.#chunks.join("");
  }
}

/** A started `deployslo serve` process (or one that was meant to be). */
export interface ServeProcess {
  readonly process: ChildProcess;
  /** Settles once the process has exited, with its code or signal. */
  readonly exited: Promise<Exit>;
  /** Captured stdout (pino JSON lines). */
  stdout(): string;
  /** Captured stderr. */
  stderr(): string;
  /** stdout and stderr, labelled, for failure messages. */
  logs(): string;
  /**
   * Sends `signal` (default SIGTERM) and waits for the exit; after `timeoutMs` it sends SIGKILL
   * and rejects, so a server that ignores the signal fails the test instead of hanging it.
   */
  stop(signal?: NodeJS.Signals, timeoutMs?: number): Promise<Exit>;
}

export interface SpawnedServer extends ServeProcess {
  /** The URL the server listens on, from its `deployslo: serving <url>` line. */
  readonly url: string;
}

/** Every process this module started and has not yet seen exit, for `stopAllServers`. */
const live = new Set<ChildProcess>();

process.once("exit", () => {
  // The test worker is going away: never leave a server behind.
  for (const child of live) child.kill("SIGKILL");
});

const BIN_PATH = fileURLToPath(new URL(`../../${BIN}`, import.meta.url));

function serveArgs(options: ServeOptions): string[] {
  return [
    BIN_PATH,
    "serve",
    ...options.config.flatMap((file) => ["--config", file]),
    "--port",
    "0",
    ...(options.database === undefined ? [] : ["--database", options.database]),
    ...(options.args ?? []),
  ];
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Starts `node dist/cli/main.js serve … --port 0` and captures its output; does not wait. */
export function startServe(options: ServeOptions): ServeProcess {
  if (!existsSync(BIN_PATH)) {
    throw new Error(`${BIN} is missing: run npm run build first (npm test does it)`);
  }
  const child = spawn(process.execPath, serveArgs(options), {
    cwd: options.cwd ?? process.cwd(),
    env: { PATH: process.env.PATH ?? "", ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  const out = new Capture();
  const err = new Capture();
  // Always drain both pipes: pino writes synchronously, so a full pipe would stall the server.
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => out.add(chunk));
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => err.add(chunk));
  const exited = new Promise<Exit>((resolve) => {
    // "close" comes after the pipes are drained, so the captured output is complete.
    child.once("close", (code, signal) => {
      live.delete(child);
      resolve({ code, signal });
    });
    child.once("error", () => {
      live.delete(child);
      resolve({ code: null, signal: null });
    });
  });
  const logs = () => `--- stdout ---\n${out.text()}\n--- stderr ---\n${err.text()}`;
  return {
    process: child,
    exited,
    stdout: () => out.text(),
    stderr: () => err.text(),
    logs,
    async stop(signal = "SIGTERM", timeoutMs = DEFAULT_STOP_TIMEOUT_MS) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      const exit = await withTimeout(exited, timeoutMs);
      if (exit !== "timeout") return exit;
      child.kill("SIGKILL");
      await withTimeout(exited, DEFAULT_STOP_TIMEOUT_MS);
      throw new Error(
        `deployslo serve (pid ${child.pid}) did not exit within ${timeoutMs} ms of ${signal}; ` +
          `killed it\n${logs()}`,
      );
    },
  };
}

/**
 * Starts `deployslo serve` on a free port and resolves once it prints
 * `deployslo: serving <url>`. Rejects (after killing the process) when it exits first or does
 * not serve within the timeout, with everything it printed.
 */
export async function spawnServer(options: ServeOptions): Promise<SpawnedServer> {
  const started = startServe(options);
  const timeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const serving = new Promise<string>((resolve) => {
    const look = () => {
      const match = SERVING.exec(started.stderr());
      if (match?.[1] !== undefined) {
        started.process.stderr?.off("data", look);
        resolve(match[1]);
      }
    };
    started.process.stderr?.on("data", look);
    look();
  });
  const outcome = await withTimeout(
    Promise.race([serving, started.exited.then((exit) => ({ exit }))]),
    timeoutMs,
  );
  if (typeof outcome === "string" && outcome !== "timeout") {
    return { ...started, url: outcome };
  }
  const why =
    outcome === "timeout"
      ? `did not serve within ${timeoutMs} ms`
      : `exited (code ${outcome.exit.code}, signal ${outcome.exit.signal}) before serving`;
  if (outcome === "timeout") {
    started.process.kill("SIGKILL");
    await withTimeout(started.exited, DEFAULT_STOP_TIMEOUT_MS);
  }
  throw new Error(
    `deployslo serve ${why}\n  args: ${serveArgs(options).slice(1).join(" ")}\n${started.logs()}`,
  );
}

/**
 * Runs `deployslo serve` expecting it to exit by itself (a refusal or a startup error); kills it
 * and rejects if it is still running after `timeoutMs`.
 */
export async function runServeToExit(
  options: ServeOptions,
  timeoutMs = DEFAULT_START_TIMEOUT_MS,
): Promise<Exit & { stdout: string; stderr: string; ms: number }> {
  const begin = performance.now();
  const started = startServe(options);
  const exit = await withTimeout(started.exited, timeoutMs);
  if (exit === "timeout") {
    started.process.kill("SIGKILL");
    await withTimeout(started.exited, DEFAULT_STOP_TIMEOUT_MS);
    throw new Error(`deployslo serve did not exit within ${timeoutMs} ms\n${started.logs()}`);
  }
  return {
    ...exit,
    stdout: started.stdout(),
    stderr: started.stderr(),
    ms: performance.now() - begin,
  };
}

/** SIGKILLs every server this module started that is still running, and waits for them. */
export async function stopAllServers(): Promise<void> {
  const children = [...live];
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const timer = setTimeout(resolve, DEFAULT_STOP_TIMEOUT_MS);
          child.once("close", () => {
            clearTimeout(timer);
            resolve();
          });
          child.kill("SIGKILL");
        }),
    ),
  );
}

/**
 * Polls `check` every `intervalMs` until it returns a value other than undefined; bounded.
 * `what` names the awaited thing in the timeout error (a function is called only then).
 */
export async function pollUntil<T>(
  what: string | (() => string),
  check: () => Promise<T | undefined>,
  { timeoutMs = 10_000, intervalMs = 100 } = {},
): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (let attempt = 0; attempt < 10_000; attempt++) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() >= deadline) break;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  const described = typeof what === "string" ? what : what();
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${described}`);
}

export interface Reply {
  readonly status: number;
  readonly text: string;
  /** The body parsed as JSON (undefined when it is not JSON). */
  readonly json: unknown;
  readonly headers: Headers;
}

/**
 * One HTTP request to a spawned server (127.0.0.1 only), with a timeout. A body that is a string
 * is sent as NDJSON, anything else as JSON.
 */
export async function call(
  url: string,
  method: "GET" | "POST",
  path: string,
  body?: unknown,
  timeoutMs = 10_000,
): Promise<Reply> {
  const target = new URL(path, url);
  if (target.hostname !== "127.0.0.1") throw new Error(`tests talk to 127.0.0.1 only: ${target}`);
  const init: RequestInit = { method, signal: AbortSignal.timeout(timeoutMs) };
  if (body !== undefined) {
    init.headers = {
      "content-type": typeof body === "string" ? "application/x-ndjson" : "application/json",
    };
    init.body = typeof body === "string" ? body : JSON.stringify(body);
  }
  const response = await fetch(target, init);
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, text, json, headers: response.headers };
}
