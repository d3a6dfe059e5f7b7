import { spawnSync } from "node:child_process";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inferRequest, startModelServer, stopAllScripts } from "../local-model/local-target.js";
import {
  BIN,
  call,
  type SpawnedServer,
  spawnServer,
  stopAllServers,
} from "../support/spawn-server.js";

// A CI job that runs its own steps and reports them to a running deployslo service through the
// wrappers: attempt start, stage exec, probe, attempt finish.

let service: SpawnedServer;

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), "deployslo-ci-"));
  service = await spawnServer({
    config: ["examples/local-model/slos.yaml"],
    database: join(dir, "store.db"),
    args: ["--token", "ingest:ci-ingest-secret-0001", "--token", "read:reader-secret-00001"],
  });
});
afterAll(async () => {
  await stopAllScripts();
  await stopAllServers();
});

function deployslo(args: string[]) {
  // Options go before "--": what follows it is the stage's command.
  const dash = args.indexOf("--");
  const withServer =
    dash < 0
      ? [...args, "--server", service.url]
      : [...args.slice(0, dash), "--server", service.url, ...args.slice(dash)];
  const run = spawnSync(process.execPath, [BIN, ...withServer], {
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "", DEPLOYSLO_TOKEN: "ci-ingest-secret-0001" },
  });
  return { code: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe("CI wrappers against a running service", { timeout: 60_000 }, () => {
  it("records a job's stages, its probe and its end as one attempt", async () => {
    const model = await startModelServer("2");
    const start = deployslo([
      "attempt",
      "start",
      "--model",
      "iris",
      "--version",
      "2",
      "--environment",
      "demo",
    ]);
    expect(start.code, start.stderr).toBe(0);
    const id = start.stdout.trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);

    const build = deployslo([
      "stage",
      "exec",
      id,
      "pull-weights",
      "--",
      "sh",
      "-c",
      'echo "bytes=2048" >> "$DEPLOYSLO_OUTPUT"; sleep 0.2',
    ]);
    expect(build.code, build.stderr).toBe(0);
    expect(build.stderr).toMatch(/stage pull-weights succeeded in/);
    const approval = deployslo([
      "stage",
      "exec",
      id,
      "approval",
      "--kind",
      "wait",
      "--",
      "sh",
      "-c",
      "exit 3",
    ]);
    expect(approval.code).toBe(3);

    const probe = deployslo([
      "probe",
      id,
      "--protocol",
      "open-inference-v2",
      "--url",
      model.url,
      "--model",
      "iris",
      "--request",
      JSON.stringify(inferRequest([[5.1, 3.5, 1.4, 0.2]])),
      "--interval",
      "50ms",
      "--probe-timeout",
      "10s",
    ]);
    expect(probe.code, probe.stderr).toBe(0);
    const finish = deployslo(["attempt", "finish", id, "--outcome", "succeeded"]);
    expect(finish.code, finish.stderr).toBe(0);

    const reply = await fetch(new URL(`api/v1/attempts/${id}`, service.url), {
      headers: { authorization: "Bearer reader-secret-00001" },
    });
    const attempt = (await reply.json()) as {
      outcome: string;
      startedAt: string;
      servingAt: string;
      stages: {
        name: string;
        kind: string;
        status: string;
        startedAt: string;
        endedAt: string;
        attributes: Record<string, unknown>;
      }[];
      dependencies: { name: string }[];
    };
    expect(attempt.outcome).toBe("succeeded");
    expect(attempt.stages.map((s) => [s.name, s.kind, s.status])).toEqual([
      ["pull-weights", "active", "succeeded"],
      ["approval", "wait", "failed"],
      ["first-inference", "active", "succeeded"],
    ]);
    const pull = attempt.stages[0];
    expect(pull?.attributes).toMatchObject({ bytes: 2048, exitCode: 0 });
    expect(
      Date.parse(pull?.endedAt ?? "") - Date.parse(pull?.startedAt ?? ""),
    ).toBeGreaterThanOrEqual(200);
    expect(attempt.stages[1]?.attributes.exitCode).toBe(3);
    expect(attempt.servingAt).toBe(attempt.stages[2]?.endedAt);
    expect(Date.parse(attempt.servingAt)).toBeGreaterThan(Date.parse(attempt.startedAt));
    expect(attempt.dependencies.map((d) => d.name)).toEqual(["inference_latency"]);
  });

  it("a probe that never sees the version fails with exit 1 and records a timed_out span", async () => {
    const model = await startModelServer("1");
    const id = deployslo(["attempt", "start", "-m", "iris", "-v", "2", "-e", "demo"]).stdout.trim();
    const probe = deployslo([
      "probe",
      id,
      "--protocol",
      "open-inference-v2",
      "--url",
      model.url,
      "--model",
      "iris",
      "--request",
      JSON.stringify(inferRequest([[5.1, 3.5, 1.4, 0.2]])),
      "--interval",
      "50ms",
      "--probe-timeout",
      "500ms",
    ]);
    expect(probe.code).toBe(1);
    expect(probe.stderr).toMatch(/probe timed out: .*model_version is "1", expected "2"/);
    const reply = await fetch(new URL(`api/v1/attempts/${id}`, service.url), {
      headers: { authorization: "Bearer reader-secret-00001" },
    });
    const attempt = (await reply.json()) as {
      outcome: string;
      servingAt?: string | null;
      stages: { name: string; status: string }[];
    };
    expect(attempt.outcome).toBe("in_progress");
    expect(attempt.servingAt ?? null).toBeNull();
    expect(attempt.stages.map((s) => [s.name, s.status])).toEqual([
      ["first-inference", "timed_out"],
    ]);
    // Without a token the service answers 401.
    expect((await call(service.url, "GET", `api/v1/attempts/${id}`)).status).toBe(401);
  });

  it("refuses without a valid token", () => {
    const run = spawnSync(
      process.execPath,
      [BIN, "attempt", "start", "-m", "iris", "-v", "2", "-e", "demo", "--server", service.url],
      {
        encoding: "utf8",
        env: { PATH: process.env.PATH ?? "" },
      },
    );
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/401/);
  });
});
