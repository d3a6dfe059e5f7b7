#!/usr/bin/env node
// npm run demo:promote [-- --version 3]: a real promotion on the local target.
// Starts the traffic switch and the current version (1) of the iris model server, then runs
// `deployslo promote` of the next version (2 by default; 3 is broken and rolls back), recording
// to the embedded store; then shows the attempt through `deployslo status` and the service API,
// and stops every process it started.
import { spawn, spawnSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";

const HERE = dirname(fileURLToPath(import.meta.url));
const TARGET = resolve(HERE, "..");
const ROOT = resolve(TARGET, "../..");
const CLI = join(ROOT, "dist/cli/main.js");
const { values } = parseArgs({
  options: {
    version: { type: "string", default: "2" },
    database: { type: "string", default: ".deployslo/demo.db" },
    "load-delay-ms": { type: "string", default: "500" },
  },
});
const database = resolve(values.database);
const demoDir = resolve(".deployslo/demo");
mkdirSync(demoDir, { recursive: true });
const started = [];

/** Starts a long-running process and resolves with the first stdout line matching `pattern`. */
function startProcess(args, pattern) {
  const child = spawn(process.execPath, args, {
    cwd: TARGET,
    stdio: ["ignore", "pipe", "inherit"],
  });
  started.push(child);
  return new Promise((resolveLine, reject) => {
    let text = "";
    child.stdout.setEncoding("utf8").on("data", (chunk) => {
      text += chunk;
      const match = pattern.exec(text);
      if (match !== null) resolveLine(match);
    });
    child.once("exit", (code) =>
      reject(new Error(`${args[0]} exited with ${code} before it was ready:\n${text}`)),
    );
  });
}

function stopAll(pids) {
  for (const child of started) if (child.exitCode === null) child.kill("SIGTERM");
  for (const pid of pids) {
    try {
      process.kill(pid, "SIGTERM");
    } catch {
      // Already stopped (the rollback stops the new server itself).
    }
  }
}

const line = (text = "") => process.stdout.write(`${text}\n`);
let newServerPids = [];
let code = 1;
try {
  const [, switchUrl, adminUrl] = await startProcess(
    ["switch.mjs", "--port", "0", "--admin-port", "0"],
    /listening on (http:\/\/\S+) \(admin (http:\/\/[^)\s]+)\)/,
  );
  const [, currentUrl] = await startProcess(
    ["server.mjs", "--model-dir", "models/iris", "--version", "1", "--port", "0"],
    /ready on (http:\/\/[^:]+:\d+)/,
  );
  await fetch(`${adminUrl}/admin/route`, {
    method: "POST",
    body: JSON.stringify({ upstream: currentUrl }),
  });
  line(`demo: version 1 serves at ${currentUrl}; the switch at ${switchUrl} sends traffic to it`);
  line(
    `demo: promoting iris version ${values.version} with deployslo promote (embedded store ${database})`,
  );
  line();

  const attemptId = randomUUID();
  const promote = spawnSync(
    process.execPath,
    [
      CLI,
      "promote",
      "--pipeline",
      join(TARGET, "pipeline.yaml"),
      "--model",
      "iris",
      "--version",
      values.version,
      "--environment",
      "demo",
      "--config",
      join(TARGET, "slos.yaml"),
      "--database",
      database,
      "--attempt-id",
      attemptId,
    ],
    {
      stdio: "inherit",
      env: {
        ...process.env,
        SWITCH_URL: switchUrl,
        SWITCH_ADMIN: adminUrl,
        DEMO_DIR: demoDir,
        LOAD_DELAY_MS: values["load-delay-ms"],
      },
    },
  );
  code = promote.status ?? 1;
  line();

  const infer = await fetch(`${switchUrl}/v2/models/iris/infer`, {
    method: "POST",
    body: JSON.stringify({
      inputs: [{ name: "input-0", shape: [1, 4], datatype: "FP32", data: [[7.0, 3.2, 4.7, 1.4]] }],
    }),
  }).then((r) => r.json());
  const label = infer.outputs?.find((o) => o.name === "label")?.data?.[0];
  line(
    `demo: the switch now serves iris version ${infer.model_version} (the flower [7.0, 3.2, 4.7, 1.4] is a ${label})`,
  );

  // Look at the recorded attempt the way a user would: the service over the same store.
  const [, serviceOrigin] = await new Promise((resolveUrl, reject) => {
    const serve = spawn(
      process.execPath,
      [
        CLI,
        "serve",
        "--config",
        join(TARGET, "slos.yaml"),
        "--database",
        database,
        "--port",
        "0",
        "--log-level",
        "warn",
      ],
      {
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    started.push(serve);
    let text = "";
    serve.stderr.setEncoding("utf8").on("data", (chunk) => {
      text += chunk;
      const match = /serving (http:\/\/\S+)\s/.exec(text);
      if (match !== null) resolveUrl(match);
    });
    serve.once("exit", (c) => reject(new Error(`deployslo serve exited with ${c}:\n${text}`)));
  });
  const serviceUrl = serviceOrigin.endsWith("/") ? serviceOrigin : `${serviceOrigin}/`;
  line(`demo: deployslo serve is reading ${database} at ${serviceUrl}`);
  line(`\n$ deployslo status --server ${serviceUrl}`);
  spawnSync(process.execPath, [CLI, "status", "--server", serviceUrl], { stdio: "inherit" });
  const attempt = await fetch(`${serviceUrl}api/v1/attempts/${attemptId}`).then((r) => r.json());
  line(`\n$ curl ${serviceUrl}api/v1/attempts/${attemptId}`);
  line(
    `outcome ${attempt.outcome}, startedAt ${attempt.startedAt}, servingAt ${attempt.servingAt ?? "never"}`,
  );
  for (const stage of attempt.stages ?? [])
    line(
      `  ${stage.name.padEnd(16)} ${stage.status.padEnd(10)} ${stage.startedAt} → ${stage.endedAt}`,
    );
  newServerPids = (attempt.stages ?? []).flatMap((s) =>
    s.name === "start-server" && typeof s.attributes?.pid === "number" ? [s.attributes.pid] : [],
  );
  line();
  line("To look again later:");
  line(
    `  npx deployslo serve --config examples/local-model/slos.yaml --database ${values.database}`,
  );
  line("  npx deployslo status --server http://127.0.0.1:8080");
  line(`  curl http://127.0.0.1:8080/api/v1/attempts/${attemptId}`);
  line(`To see the rollback path: npm run demo:promote -- --version 3`);
} catch (error) {
  process.stderr.write(`demo: ${error instanceof Error ? error.message : String(error)}\n`);
  code = 1;
} finally {
  stopAll(newServerPids);
}
process.exitCode = code;
