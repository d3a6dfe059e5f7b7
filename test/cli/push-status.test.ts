import { once } from "node:events";
import { existsSync, readFileSync } from "node:fs";
import { copyFile, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { CliIo } from "../../src/cli/cli-io.js";
import { runCli } from "../../src/cli/program.js";
import { parseSloSpecs } from "../../src/core/spec/parse-slo-specs.js";
import { type ApiToken, parseTokens } from "../../src/server/server-config.js";
import { openStore } from "../../src/store/open-store.js";
import { runCliCaptured } from "../support/capture-io.js";
import { testServer } from "../support/test-server.js";

const SLOS = parseSloSpecs(readFileSync("test/fixtures/slos.yaml", "utf8"), "slos.yaml").slos;
const FIXTURE = "test/fixtures/attempts.ndjson";
const HISTORY = "examples/history.ndjson";
const AT = "2026-10-14T09:30:00Z";
/** Quick retries, so failing tests end in milliseconds. */
const FAST = ["--retries", "2", "--retry-delay", "1"];

const cleanups: Array<() => Promise<void>> = [];
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "deployslo-push-status-"));
});
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  await rm(dir, { recursive: true, force: true });
});

/** A real server over an in-memory store, listening on a free loopback port. */
async function startServer(tokens: ApiToken[] = []) {
  const store = await openStore(":memory:");
  const { app, engine } = await testServer(store, SLOS, { tokens });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  cleanups.push(async () => {
    await app.close();
    await store.close();
  });
  return { url, engine };
}

async function listen(handler: (req: IncomingMessage, res: ServerResponse) => void) {
  const server: Server = createServer(handler);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  cleanups.push(
    () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  );
  const address = server.address();
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

async function body(req: IncomingMessage): Promise<string> {
  let text = "";
  for await (const chunk of req) text += String(chunk);
  return text;
}

function sendProblem(
  res: ServerResponse,
  status: number,
  code: string,
  detail: string,
  errors?: string[],
) {
  res.writeHead(status, { "content-type": "application/problem+json" });
  res.end(
    JSON.stringify({
      type: "urn:x",
      title: code,
      status,
      code,
      detail,
      ...(errors ? { errors } : {}),
    }),
  );
}

/**
 * A proxy in front of `target` that counts the attempt POSTs it sees and, while `failAfter`
 * is set, answers 503 to every POST once that many have gone through.
 */
async function flakyProxy(target: string) {
  const state = { posts: 0, forwarded: 0, failAfter: undefined as number | undefined };
  const url = await listen((req, res) => {
    void (async () => {
      const text = await body(req);
      if (req.method === "POST") {
        state.posts++;
        if (state.failAfter !== undefined && state.forwarded >= state.failAfter) {
          sendProblem(res, 503, "STORE_UNAVAILABLE", "the database does not answer");
          return;
        }
        state.forwarded++;
      }
      const answer = await fetch(`${target}${req.url ?? "/"}`, {
        method: req.method ?? "GET",
        headers: { "content-type": req.headers["content-type"] ?? "application/json" },
        ...(req.method === "POST" ? { body: text } : {}),
      });
      res.writeHead(answer.status, {
        "content-type": answer.headers.get("content-type") ?? "application/json",
      });
      res.end(await answer.text());
    })();
  });
  return { url, state };
}

/** A port nothing listens on: bound, then closed. */
async function closedPort(): Promise<string> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return `http://127.0.0.1:${address.port}`;
}

describe("deployslo push and status against a real server", () => {
  it("pushes the fixture; status --format json then equals evaluate's golden JSON", async () => {
    const { url } = await startServer();
    const push = await runCliCaptured([
      "push",
      "--server",
      url,
      "--resume-file",
      join(dir, "progress"),
      FIXTURE,
    ]);
    expect(push.stderr).toBe(
      `deployslo: sending 11 records in 1 batch\ndeployslo: ${FIXTURE}: 11 records acknowledged (1 batch this run)\n`,
    );
    expect(push.stdout).toBe(
      `pushed 11 records to ${url}/ in 1 batch: 11 inserted, 0 updated, in 0ms\n`,
    );
    expect(push.exitCode).toBe(0);
    expect(existsSync(join(dir, "progress"))).toBe(false);

    const status = await runCliCaptured([
      "status",
      "--server",
      url,
      "--at",
      AT,
      "--format",
      "json",
    ]);
    expect(status.stderr).toBe("");
    expect(status.exitCode).toBe(0);
    expect(status.stdout).toBe(readFileSync("test/golden/evaluate-fixture-json.stdout", "utf8"));
  });

  it("pushes the fixture and the example history; status matches evaluate over both", async () => {
    const { url, engine } = await startServer();
    const push = await runCliCaptured([
      "push",
      "-s",
      url,
      "--batch-size",
      "1000",
      "--resume-file",
      join(dir, "p"),
      FIXTURE,
      HISTORY,
    ]);
    expect(push.exitCode).toBe(0);
    expect(push.stdout).toMatch(
      /^pushed 2215 records to .* in 4 batches: \d+ inserted, \d+ updated/,
    );
    await engine.refresh();
    const evaluate = await runCliCaptured([
      "evaluate",
      "-c",
      "test/fixtures/slos.yaml",
      "-d",
      FIXTURE,
      "-d",
      HISTORY,
      "--at",
      AT,
      "-f",
      "json",
    ]);
    const status = await runCliCaptured(["status", "-s", url, "--at", AT, "-f", "json"]);
    expect(status.stdout).toBe(evaluate.stdout);

    const table = await runCliCaptured(["status", "-s", url, "--at", AT]);
    expect(table.exitCode).toBe(0);
    const evaluated = await runCliCaptured([
      "evaluate",
      "-c",
      "test/fixtures/slos.yaml",
      "-d",
      FIXTURE,
      "-d",
      HISTORY,
      "--at",
      AT,
    ]);
    const rows = (text: string) => text.split("\n").slice(0, SLOS.length + 1);
    expect(rows(table.stdout)).toEqual(rows(evaluated.stdout));
    expect(table.stdout).toContain(`as of 2026-10-14T09:30:00.000Z · ${url}/`);
  });

  it("resumes: a push that fails at batch 3 keeps its progress; the next sends only the rest", async () => {
    const { url } = await startServer();
    const proxy = await flakyProxy(url);
    const file = join(dir, "history.ndjson");
    await copyFile(HISTORY, file);
    const progress = `${file}.deployslo-push`;

    proxy.state.failAfter = 2;
    const failed = await runCliCaptured([
      "push",
      "-s",
      proxy.url,
      "--batch-size",
      "500",
      ...FAST,
      file,
    ]);
    expect(failed.exitCode).toBe(1);
    expect(proxy.state.posts).toBe(5); // batches 1 and 2, then batch 3 tried 3 times
    expect(failed.stderr).toContain("deployslo: batch 3 (");
    expect(failed.stderr).toContain("try 2 of 3 in");
    expect(failed.stderr).toContain(
      `deployslo: the deployslo server at ${proxy.url}/ kept answering 503 STORE_UNAVAILABLE: the database does not answer; gave up on batch 3 (records 1001–1500 of ${file}) after 3 tries`,
    );
    expect(failed.stderr).toContain("1000 of 2204 records were stored before this.");
    expect(failed.stderr).toContain(`Progress is in ${progress}: run the same command again`);
    expect(JSON.parse(await readFile(progress, "utf8"))).toMatchObject({
      server: `${proxy.url}/`,
      files: [{ path: file, records: 2204, acknowledged: 1000 }],
    });

    proxy.state.failAfter = undefined;
    proxy.state.posts = 0;
    const resumed = await runCliCaptured([
      "push",
      "-s",
      proxy.url,
      "--batch-size",
      "500",
      ...FAST,
      file,
    ]);
    expect(resumed.exitCode).toBe(0);
    expect(proxy.state.posts).toBe(3);
    expect(resumed.stderr).toContain(
      `deployslo: resuming ${file}: 1000 of 2204 records were acknowledged by an earlier push (progress in ${progress})`,
    );
    expect(resumed.stdout).toBe(
      `pushed 1204 records to ${proxy.url}/ in 3 batches: 1204 inserted, 0 updated, in 0ms; 1000 acknowledged by an earlier push not sent again\n`,
    );
    expect(existsSync(progress)).toBe(false);
  });

  it("starts over, and says so, when the file changed since the failed push", async () => {
    const { url } = await startServer();
    const proxy = await flakyProxy(url);
    const file = join(dir, "attempts.ndjson");
    await copyFile(FIXTURE, file);
    proxy.state.failAfter = 1;
    await runCliCaptured(["push", "-s", proxy.url, "--batch-size", "5", ...FAST, file]);
    expect(existsSync(`${file}.deployslo-push`)).toBe(true);
    await writeFile(file, `${readFileSync(FIXTURE, "utf8")}\n`);
    proxy.state.failAfter = undefined;
    const again = await runCliCaptured(["push", "-s", proxy.url, "--batch-size", "5", file]);
    expect(again.exitCode).toBe(0);
    expect(again.stderr).toContain(`deployslo: ${file}: starting over, as it changed since`);
    expect(again.stdout).toMatch(/^pushed 11 records .*: 6 inserted, 5 updated/);
  });

  it("stops at a batch the server rejects, printing its problem detail, without retrying", async () => {
    let posts = 0;
    const url = await listen((req, res) => {
      void body(req).then(() => {
        posts++;
        sendProblem(res, 400, "RECORD_INVALID", "1 of 11 records invalid; nothing was stored", [
          "line 3: environment is not allowed here",
        ]);
      });
    });
    const run = await runCliCaptured([
      "push",
      "-s",
      url,
      ...FAST,
      "--resume-file",
      join(dir, "p"),
      FIXTURE,
    ]);
    expect(run.exitCode).toBe(1);
    expect(posts).toBe(1);
    expect(run.stderr).toContain(
      `deployslo: the server rejected batch 1 (records 1–11 of ${FIXTURE}): 400 RECORD_INVALID: 1 of 11 records invalid; nothing was stored\n  server: line 3: environment is not allowed here\n`,
    );
    expect(run.stdout).toBe("");
  });

  it("ends quickly with a clear message when the server cannot be reached", async () => {
    const url = await closedPort();
    const started = Date.now();
    const push = await runCliCaptured([
      "push",
      "-s",
      url,
      "--retries",
      "1",
      "--retry-delay",
      "1",
      "--resume-file",
      join(dir, "p"),
      FIXTURE,
    ]);
    expect(Date.now() - started).toBeLessThan(5000);
    expect(push.exitCode).toBe(1);
    expect(push.stderr).toContain(
      `deployslo: cannot reach the deployslo server at ${url}/: connection refused (ECONNREFUSED); gave up on batch 1 (records 1–11 of ${FIXTURE}) after 2 tries\n  No record was stored by this push.\n`,
    );
    expect(existsSync(join(dir, "p"))).toBe(false);

    const status = await runCliCaptured(["status", "-s", url]);
    expect(status.exitCode).toBe(1);
    expect(status.stderr).toBe(
      `deployslo: cannot reach the deployslo server at ${url}/: connection refused (ECONNREFUSED)\n`,
    );
  });

  it("sends the token from --token or DEPLOYSLO_TOKEN; a missing one is a 401 with a hint", async () => {
    const read = "read-token-0123456789";
    const ingest = "ingest-token-0123456789";
    const { url } = await startServer(parseTokens(`read:${read},ingest:${ingest}`, "test"));
    const resume = ["--resume-file", join(dir, "p")];

    const anonymous = await runCliCaptured(["push", "-s", url, ...resume, FIXTURE]);
    expect(anonymous.exitCode).toBe(1);
    expect(anonymous.stderr).toContain("401 UNAUTHORIZED: send Authorization: Bearer <token>");
    expect(anonymous.stderr).toContain("Pass --token TOKEN or set DEPLOYSLO_TOKEN");

    const reader = await runCliCaptured(["push", "-s", url, "--token", read, ...resume, FIXTURE]);
    expect(reader.exitCode).toBe(1);
    expect(reader.stderr).toContain("403 FORBIDDEN");

    const pushed = await runCliCaptured(["push", "-s", url, ...resume, FIXTURE], {
      env: { DEPLOYSLO_TOKEN: ingest },
    });
    expect(pushed.exitCode).toBe(0);

    const denied = await runCliCaptured(["status", "-s", url]);
    expect(denied.exitCode).toBe(1);
    expect(denied.stderr).toBe(
      `deployslo: the deployslo server at ${url}/ answered 401 UNAUTHORIZED: send Authorization: Bearer <token>\n  Pass --token TOKEN or set DEPLOYSLO_TOKEN: a token with the read role or higher.\n`,
    );
    const status = await runCliCaptured([
      "status",
      "-s",
      url,
      "--token",
      read,
      "--at",
      AT,
      "-f",
      "json",
    ]);
    expect(status.exitCode).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ at: "2026-10-14T09:30:00.000Z" });
  });

  it("shows a scoped token the SLOs within its scope, as the server filters them", async () => {
    const scoped = "prod-read-token-0123456789";
    const admin = "admin-token-0123456789";
    const { url } = await startServer([
      { name: "prod", role: "read", token: scoped, scope: { environments: ["production"] } },
      { name: "ops", role: "admin", token: admin },
    ]);
    const names = async (token: string) => {
      const run = await runCliCaptured(["status", "-s", url, "--token", token, "-f", "json"]);
      expect(run.exitCode, run.stderr).toBe(0);
      return (JSON.parse(run.stdout) as { slos: { name: string }[] }).slos.map((s) => s.name);
    };
    expect(await names(admin)).toEqual([
      "prod-deploys",
      "prod-excess",
      "fraud-p95",
      "provision-stage",
    ]);
    // fraud-p95 and provision-stage select attempts of any environment.
    expect(await names(scoped)).toEqual(["prod-deploys", "prod-excess"]);
  });

  it("sends nothing when a record is invalid, unless --skip-invalid", async () => {
    const { url, engine } = await startServer();
    const file = "test/fixtures/attempts-invalid.ndjson";
    const resume = ["--resume-file", join(dir, "p")];
    const refused = await runCliCaptured(["push", "-s", url, ...resume, file]);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^deployslo: \d+ of \d+ records invalid; nothing was sent\n/);
    expect(refused.stderr).toContain(`  ${file}:2: servingAt is before startedAt\n`);
    await engine.refresh();
    expect(engine.attemptCount).toBe(0);

    const skipped = await runCliCaptured(["push", "-s", url, "--skip-invalid", ...resume, file]);
    expect(skipped.exitCode).toBe(0);
    expect(skipped.stderr).toContain(`${file}:2: servingAt is before startedAt\n`);
    expect(skipped.stderr).toMatch(/deployslo: skipped \d+ invalid of \d+ records\n/);
    await engine.refresh();
    expect(engine.attemptCount).toBeGreaterThan(0);
  });

  it("pushes every valid CSV row when one row has the wrong number of cells", async () => {
    const { url, engine } = await startServer();
    const file = join(dir, "three.csv");
    const row = (id: string) => `${id},m,1,production,2026-10-12T09:00:00Z,2026-10-12T09:01:00Z`;
    const header = "id,model,version,environment,startedAt,servingAt";
    await writeFile(file, [header, row("c1"), `${row("c2")},extra`, row("c3"), ""].join("\n"));
    const run = ["push", "-s", url, "--resume-file", join(dir, "p"), file];
    const refused = await runCliCaptured(run);
    expect(refused.exitCode).toBe(1);
    expect(refused.stderr).toMatch(/^deployslo: 1 of 3 records invalid; nothing was sent\n/);
    const skipped = await runCliCaptured([...run, "--skip-invalid"]);
    expect(skipped.stderr).toContain(
      `${file}:3: invalid CSV: the row has 7 cells, the header has 6 cells\n`,
    );
    expect(skipped.stderr).toContain("deployslo: skipped 1 invalid of 3 records\n");
    expect(skipped.exitCode).toBe(0);
    await engine.refresh();
    expect(engine.attemptCount).toBe(2);
  });

  it("warns on stderr about attempts in progress for long, with when they time out", async () => {
    const { url } = await startServer();
    const file = join(dir, "stuck.ndjson");
    await writeFile(
      file,
      `${JSON.stringify({
        id: "stuck",
        model: "fraud-detector",
        version: "9",
        environment: "production",
        startedAt: "2026-10-14T08:30:00Z",
      })}\n`,
    );
    expect(
      (await runCliCaptured(["push", "-s", url, "--resume-file", join(dir, "p"), file])).exitCode,
    ).toBe(0);
    const status = await runCliCaptured(["status", "-s", url, "--at", AT, "-f", "json"]);
    expect(status.exitCode).toBe(0);
    expect(status.stderr).toBe(
      "deployslo: warning: attempt stuck (fraud-detector 9 → production) has been in progress for 1h, past its 5m threshold, with no end recorded: did its pipeline stop? Unless it ends, it is counted as timed_out from 2026-10-14T09:30:00.000Z\n",
    );
  });

  it("draws a progress bar on a terminal", async () => {
    const { url } = await startServer();
    let stderr = "";
    let stdout = "";
    let now = 0;
    const io: CliIo = {
      stdout: { write: (text: string) => (stdout += text) },
      stderr: { write: (text: string) => (stderr += text), isTTY: true },
      env: {},
      now: () => (now += 150),
    };
    const code = await runCli(
      ["push", "-s", url, "--batch-size", "500", "--resume-file", join(dir, "p"), HISTORY],
      io,
    );
    expect(code).toBe(0);
    expect(
      stderr.startsWith("\r[░░░░░░░░░░░░░░░░░░░░░░░░] 0/2,204 records 0% · –/s · ETA –\u001b[K"),
    ).toBe(true);
    expect(stderr).toContain("2,204/2,204 records 100%");
    expect(stderr).toContain("\n");
    expect(stdout).toMatch(/^pushed 2204 records .* in 5 batches/);
  });

  it("answers usage errors with exit code 2", async () => {
    const noServer = await runCliCaptured(["push", FIXTURE]);
    expect(noServer.exitCode).toBe(2);
    expect(noServer.stderr).toBe("deployslo: push needs --server URL (the deployslo server)\n");
    const tooBig = await runCliCaptured([
      "push",
      "-s",
      "http://127.0.0.1:1",
      "--batch-size",
      "20000",
      FIXTURE,
    ]);
    expect(tooBig.exitCode).toBe(2);
    expect(tooBig.stderr).toContain("--batch-size must be a whole number from 1 to 10000");
    const badUrl = await runCliCaptured(["status", "-s", "localhost:8080"]);
    expect(badUrl.exitCode).toBe(2);
    const missing = await runCliCaptured([
      "push",
      "-s",
      "http://127.0.0.1:1",
      join(dir, "nope.ndjson"),
    ]);
    expect(missing.exitCode).toBe(2);
    expect(missing.stderr).toContain("no such file");
    const badAt = await runCliCaptured(["status", "-s", "http://127.0.0.1:1", "--at", "yesterday"]);
    expect(badAt.exitCode).toBe(2);
  });
});
