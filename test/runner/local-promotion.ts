import { spawn } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, beforeEach } from "vitest";
import {
  EXAMPLE_DIR,
  type ModelServer,
  startModelServer,
  startScript,
  stopAllScripts,
} from "../local-model/local-target.js";
import { BIN } from "../support/spawn-server.js";

// The local target for end-to-end promotions: before each test, version 1 of the iris model
// serves behind the traffic switch; `promote` runs the built CLI against it and parses its JSON.

export interface LocalTarget {
  switchUrl: string;
  adminUrl: string;
  current: ModelServer;
  /** A fresh folder: the embedded store (store.db) and the pipeline's DEMO_DIR. */
  dir: string;
  /** Servers the promotions started, killed after each test. */
  readonly pids: number[];
}

/** Starts the local target before each test and stops everything after it. */
export function localTargetPerTest(prefix: string): LocalTarget {
  const target = { switchUrl: "", adminUrl: "", dir: "", pids: [] } as unknown as LocalTarget;
  beforeEach(async () => {
    target.dir = await mkdtemp(join(tmpdir(), prefix));
    target.current = await startModelServer("1");
    const switchScript = startScript("switch.mjs", [
      "--port",
      "0",
      "--admin-port",
      "0",
      "--upstream",
      target.current.url,
    ]);
    const match = await switchScript.waitFor(
      /listening on (http:\/\/\S+) \(admin (http:\/\/[^)\s]+)\)/,
    );
    target.switchUrl = match[1] ?? "";
    target.adminUrl = match[2] ?? "";
  });
  afterEach(async () => {
    for (const pid of target.pids.splice(0)) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // Stopped already (by the rollback).
      }
    }
    await stopAllScripts();
  });
  afterAll(() => stopAllScripts());
  return target;
}

export interface PromoteOptions {
  readonly pipeline?: string;
  readonly env?: Record<string, string>;
  readonly args?: readonly string[];
  /** Sends SIGINT once stderr matches. */
  readonly interruptWhen?: RegExp;
}

/** `deployslo promote --format json` of iris `version` to e2e, recording to the test's store. */
export function promoteOnTarget<S extends { stages: { attributes: Record<string, unknown> }[] }>(
  target: LocalTarget,
  version: string,
  options: PromoteOptions = {},
): Promise<{ code: number | null; stderr: string; summary: S }> {
  const child = spawn(
    process.execPath,
    [
      BIN,
      "promote",
      "--pipeline",
      options.pipeline ?? `${EXAMPLE_DIR}pipeline.yaml`,
      "--workdir",
      EXAMPLE_DIR,
      "--model",
      "iris",
      "--version",
      version,
      "--environment",
      "e2e",
      "--database",
      join(target.dir, "store.db"),
      "--format",
      "json",
      ...(options.args ?? []),
    ],
    {
      env: {
        PATH: process.env.PATH ?? "",
        SWITCH_URL: target.switchUrl,
        SWITCH_ADMIN: target.adminUrl,
        DEMO_DIR: target.dir,
        ...options.env,
      },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let stdout = "";
  let stderr = "";
  let interrupted = false;
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    if (!interrupted && options.interruptWhen?.test(stderr) === true) {
      interrupted = true;
      child.kill("SIGINT");
    }
  });
  return new Promise((resolve, reject) => {
    child.once("close", (code) => {
      try {
        const summary = JSON.parse(stdout) as S;
        for (const stage of summary.stages)
          if (typeof stage.attributes.pid === "number") target.pids.push(stage.attributes.pid);
        resolve({ code, stderr, summary });
      } catch {
        reject(new Error(`promote printed no JSON (exit ${code})\n${stdout}\n${stderr}`));
      }
    });
  });
}
