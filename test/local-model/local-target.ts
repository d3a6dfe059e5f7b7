import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// Runs the local target's scripts (examples/local-model/*.mjs) as processes on loopback.

export const EXAMPLE_DIR = fileURLToPath(new URL("../../examples/local-model/", import.meta.url));
export const MODEL_DIR = `${EXAMPLE_DIR}models/iris`;
const WAIT_MS = 15_000;
const STOP_MS = 5_000;

export interface Exit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

export interface Script {
  readonly process: ChildProcess;
  readonly exited: Promise<Exit>;
  stdout(): string;
  stderr(): string;
  /** The first match of `pattern` in stdout, waiting for it; rejects if the process exits first. */
  waitFor(pattern: RegExp): Promise<RegExpExecArray>;
  /** SIGTERM, then SIGKILL if it has not exited within a few seconds. */
  stop(): Promise<Exit>;
}

const live = new Set<ChildProcess>();

process.once("exit", () => {
  for (const child of live) child.kill("SIGKILL");
});

/** Starts `node examples/local-model/<script> …args`. */
export function startScript(script: string, args: readonly string[]): Script {
  const child = spawn(process.execPath, [`${EXAMPLE_DIR}${script}`, ...args], {
    env: { PATH: process.env.PATH ?? "" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  live.add(child);
  let out = "";
  let err = "";
  const listeners = new Set<() => void>();
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    for (const listener of listeners) listener();
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    err += chunk;
  });
  const exited = new Promise<Exit>((resolve) => {
    child.once("close", (code, signal) => {
      live.delete(child);
      for (const listener of listeners) listener();
      resolve({ code, signal });
    });
  });
  const logs = () => `--- stdout ---\n${out}\n--- stderr ---\n${err}`;
  return {
    process: child,
    exited,
    stdout: () => out,
    stderr: () => err,
    waitFor(pattern) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const match = pattern.exec(out);
          if (match) return done(() => resolve(match));
          if (!live.has(child)) {
            done(() => reject(new Error(`${script} exited before printing ${pattern}\n${logs()}`)));
          }
        };
        const timer = setTimeout(
          () => done(() => reject(new Error(`${script} did not print ${pattern}\n${logs()}`))),
          WAIT_MS,
        );
        const done = (settle: () => void) => {
          clearTimeout(timer);
          listeners.delete(check);
          settle();
        };
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), STOP_MS);
      const exit = await exited;
      clearTimeout(timer);
      return exit;
    },
  };
}

/** Every script still running, stopped (for afterEach). */
export async function stopAllScripts(): Promise<void> {
  await Promise.all(
    [...live].map(
      (child) =>
        new Promise<void>((resolve) => {
          child.once("close", () => resolve());
          child.kill("SIGKILL");
        }),
    ),
  );
}

export interface ModelServer {
  readonly script: Script;
  readonly url: string;
}

/** Starts server.mjs for `version` on a free port and waits until it has loaded the model. */
export async function startModelServer(
  version: string,
  extra: readonly string[] = [],
): Promise<ModelServer> {
  const script = startScript("server.mjs", [
    "--model-dir",
    MODEL_DIR,
    "--version",
    version,
    "--port",
    "0",
    ...extra,
  ]);
  const [, url = ""] = await script.waitFor(/listening on (http:\/\/127\.0\.0\.1:\d+) /);
  await script.waitFor(/: ready on /);
  return { script, url };
}

export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly json: unknown;
}

/** One HTTP call; the body, if any, is sent as JSON (or as is when it is a string). */
export async function call(url: string, method = "GET", body?: unknown): Promise<Reply> {
  const response = await fetch(url, {
    method,
    ...(body === undefined
      ? {}
      : {
          body: typeof body === "string" ? body : JSON.stringify(body),
          headers: { "content-type": "application/json" },
        }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, headers: response.headers, json };
}

/** An OIP v2 request for rows of iris features. */
export function inferRequest(rows: number[][], id?: string): Record<string, unknown> {
  return {
    ...(id === undefined ? {} : { id }),
    inputs: [{ name: "input-0", shape: [rows.length, 4], datatype: "FP32", data: rows }],
  };
}
