import { mkdtemp, writeFile } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/program.js";
import { openStore } from "../../src/store/open-store.js";

let server: Server;
let dir = "";
let base = "";

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-promote-cli-"));
  server = createServer((req, res) => {
    res.setHeader("content-type", "application/json");
    if (req.url === "/broken") {
      res.statusCode = 500;
      res.end(
        '{"error":"model iris version 3 is not loaded",\n "detail":"weights cover 3 of 4 features"}',
      );
      return;
    }
    res.end('{"version":"5"}');
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

/** The CLI in-process with the real clock: the runner times real work. */
async function cli(argv: string[]) {
  let stdout = "";
  let stderr = "";
  const io: CliIo = {
    stdout: { write: (t: string) => (stdout += t), isTTY: false },
    stderr: { write: (t: string) => (stderr += t), isTTY: false },
    env: { PATH: process.env.PATH },
    now: () => Date.now(),
  };
  const exitCode = await runCli(argv, io);
  return { stdout, stderr, exitCode };
}

async function pipelineFile(body: string): Promise<string> {
  const file = join(dir, `p-${Math.random().toString(36).slice(2)}.yaml`);
  await writeFile(file, body);
  return file;
}

const GOOD = () => `apiVersion: deployslo/v1
kind: Pipeline
metadata: { name: cli }
spec:
  stages:
    - name: work
      run: echo "hello from $MODEL $VERSION"
  serving:
    protocol: http
    url: ${base}/version
    interval: 20ms
    timeout: 5s
`;

describe("deployslo promote (in-process)", () => {
  it("runs, prints a JSON summary, exits 0, and records the attempt in the embedded store", async () => {
    const database = join(dir, "store.db");
    const run = await cli([
      "promote",
      "--pipeline",
      await pipelineFile(GOOD()),
      "--model",
      "m",
      "--version",
      "5",
      "--environment",
      "test",
      "--database",
      database,
      "--format",
      "json",
      "--attempt-id",
      "cli-1",
    ]);
    expect(run.exitCode, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as {
      outcome: string;
      servingAt: string;
      stages: { name: string }[];
    };
    expect(summary.outcome).toBe("succeeded");
    expect(summary.stages.map((s) => s.name)).toEqual(["work", "first-inference"]);
    expect(run.stderr).toContain("  [work] hello from m 5\n");
    const store = await openStore(database);
    const attempt = await store.getAttempt("cli-1");
    await store.close();
    expect(attempt?.outcome).toBe("succeeded");
    expect(new Date(attempt?.servingAt ?? 0).toISOString()).toBe(summary.servingAt);
  });

  it("exits 1 with the text summary when the probe never sees the version", async () => {
    const run = await cli([
      "promote",
      "--pipeline",
      await pipelineFile(GOOD().replace("timeout: 5s", "timeout: 200ms")),
      "-m",
      "m",
      "-v",
      "6",
      "-e",
      "test",
      "--database",
      join(dir, "store.db"),
      "--no-color",
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/^m 6 → test: timed out after /);
    expect(run.stdout).toMatch(
      /first-inference {2}active {2}timed_out .*version is "5", expected "6"/,
    );
    expect(run.stdout).toMatch(/critical path: work → first-inference/);
  });

  it("shows the last lines of the log of a server that died when the stage waiting for it fails", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const pipeline = `apiVersion: deployslo/v1
kind: Pipeline
metadata: { name: dies }
spec:
  stages:
    - name: start-server
      run: |
        log="$DEPLOYSLO_STAGE-$ATTEMPT_ID.log"
        sh -c 'echo "listening on port 1"; echo "cannot load weights: 3 of 4 features" >&2; exit 1' > "$log" 2>&1 &
        echo "log=$log" >> "$DEPLOYSLO_OUTPUT"
    - name: wait-ready
      needs: start-server
      timeout: 300ms
      http: { url: "http://127.0.0.1:${port}/ready", interval: 50ms }
    - name: unrelated
      run: "true"
  serving:
    protocol: http
    url: ${base}/version
`;
    const run = await cli([
      "promote",
      "-p",
      await pipelineFile(pipeline),
      "-m",
      "m",
      "-v",
      "5",
      "-e",
      "test",
      "--database",
      join(dir, "store.db"),
      "--workdir",
      dir,
      "--no-color",
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stdout).toMatch(/wait-ready +active +timed_out .*no answer \(ECONNREFUSED\)/);
    expect(run.stdout).toMatch(
      /wait-ready timed out; last lines of .*start-server-.*\.log \(the log start-server named\):\n {2}\| listening on port 1\n {2}\| cannot load weights: 3 of 4 features\n/,
    );
  });

  it("shows the last lines of a failed command and the start of a probe's error answer", async () => {
    const pipeline = `apiVersion: deployslo/v1
kind: Pipeline
metadata: { name: errors }
spec:
  stages:
    - name: work
      run: echo "step one" >&2; echo "step two failed" >&2; exit 3
  serving:
    protocol: http
    url: ${base}/broken
    timeout: 200ms
`;
    const failing = await cli([
      "promote",
      "-p",
      await pipelineFile(pipeline),
      "-m",
      "m",
      "-v",
      "5",
      "-e",
      "test",
      "--database",
      join(dir, "store.db"),
      "--no-color",
    ]);
    expect(failing.exitCode).toBe(1);
    expect(failing.stdout).toContain(
      "work failed; last lines of its output:\n  | step one\n  | step two failed\n",
    );
    const probing = await cli([
      "promote",
      "-p",
      await pipelineFile(pipeline.replace(/exit 3/, "exit 0")),
      "-m",
      "m",
      "-v",
      "5",
      "-e",
      "test",
      "--database",
      join(dir, "store.db"),
      "--format",
      "json",
    ]);
    const summary = JSON.parse(probing.stdout) as { probe: { error: string } };
    expect(summary.probe.error).toContain(
      'status 500, expected 200: {"error":"model iris version 3 is not loaded", "detail":"weights cover 3 of 4 features"}',
    );
  });

  it("reports pipeline errors with file:line:column and exits 1", async () => {
    const file = await pipelineFile(GOOD().replace("run: echo", "rn: echo"));
    const run = await cli([
      "promote",
      "-p",
      file,
      "-m",
      "m",
      "-v",
      "5",
      "-e",
      "test",
      "--database",
      join(dir, "store.db"),
    ]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain(`deployslo: 2 errors in pipeline ${file}`);
    expect(run.stderr).toContain(`${file}:7:7: error: spec.stages[0].rn: unknown field`);
  });

  it("is a usage error without --model", async () => {
    const run = await cli(["promote", "-p", "x.yaml", "-v", "5", "-e", "test"]);
    expect(run.exitCode).toBe(2);
    expect(run.stderr).toMatch(/required option '-m, --model <name>' not specified/);
  });
});
